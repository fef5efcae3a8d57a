import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ContactLanguages } from '@valley/contracts';
import { Coordinator } from '@valley/platform';
import { PreviewTemplateQuery } from './dto/preview-template.query';
import { TemplateListResponse } from './dto/template-list.response';
import { TemplateNameParams } from './dto/template-name.params';
import { TemplatePreviewResponse } from './dto/template-preview.response';
import { TemplateNames, TemplateRenderer } from './template-renderer';
import { templateSamples } from './template-samples';

@ApiTags('templates')
@Controller('templates')
@Coordinator()
export class TemplatesController {
  constructor(private readonly renderer: TemplateRenderer) {}

  @Get()
  @ApiOperation({ summary: 'The email templates and languages (coordinator).' })
  @ApiOkResponse({ type: TemplateListResponse })
  list(): TemplateListResponse {
    return { templates: [...TemplateNames], languages: [...ContactLanguages] };
  }

  @Get(':name/preview')
  @ApiOperation({ summary: 'Renders a template with sample data: subject, text and HTML (coordinator).' })
  @ApiOkResponse({ type: TemplatePreviewResponse })
  @ApiBadRequestResponse({ description: 'An unknown template or language; `fields` names it.' })
  preview(@Param() params: TemplateNameParams, @Query() query: PreviewTemplateQuery): TemplatePreviewResponse {
    const sampleData = templateSamples[params.name];
    return {
      template: params.name,
      language: query.language,
      ...this.renderer.render(params.name, query.language, sampleData),
      sampleData,
    };
  }
}
