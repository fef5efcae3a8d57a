import { ApiProperty } from '@nestjs/swagger';
import { ContactLanguage, ContactLanguages } from '@valley/contracts';
import { TemplateName, TemplateNames } from '../template-renderer';

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
