import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ContactLanguage, ContactLanguages } from '@valley/contracts';
import { IsIn, IsOptional } from 'class-validator';
import { TemplateName, TemplateNames } from '../template-renderer';

export class TemplateNameParams {
  @ApiProperty({ enum: TemplateNames })
  @IsIn(TemplateNames, { message: `name must be one of the templates: ${TemplateNames.join(', ')}` })
  name!: TemplateName;
}

export class PreviewTemplateQuery {
  @ApiPropertyOptional({ enum: ContactLanguages, default: 'lt' })
  @IsOptional()
  @IsIn(ContactLanguages)
  language: ContactLanguage = 'lt';
}

export class TemplatePreviewResponse {
  @ApiProperty({ enum: TemplateNames })
  template!: TemplateName;

  @ApiProperty({ enum: ContactLanguages })
  language!: ContactLanguage;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ description: 'The plain-text part.' })
  text!: string;

  @ApiProperty({ description: 'The HTML part.' })
  html!: string;

  @ApiProperty({ description: 'The sample data it was rendered with.', type: Object })
  sampleData!: Record<string, unknown>;
}

export class TemplateListResponse {
  @ApiProperty({ enum: TemplateNames, isArray: true })
  templates!: TemplateName[];

  @ApiProperty({ enum: ContactLanguages, isArray: true })
  languages!: ContactLanguage[];
}
