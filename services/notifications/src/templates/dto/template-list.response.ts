import { ApiProperty } from '@nestjs/swagger';
import { ContactLanguage, ContactLanguages } from '@valley/contracts';
import { TemplateName, TemplateNames } from '../template-renderer';

export class TemplateListResponse {
  @ApiProperty({ enum: TemplateNames, isArray: true })
  templates!: TemplateName[];

  @ApiProperty({ enum: ContactLanguages, isArray: true })
  languages!: ContactLanguage[];
}
