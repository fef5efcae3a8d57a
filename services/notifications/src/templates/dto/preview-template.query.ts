import { ApiPropertyOptional } from '@nestjs/swagger';
import { ContactLanguage, ContactLanguages } from '@valley/contracts';
import { IsIn, IsOptional } from 'class-validator';

export class PreviewTemplateQuery {
  @ApiPropertyOptional({ enum: ContactLanguages, default: 'lt' })
  @IsOptional()
  @IsIn(ContactLanguages)
  language: ContactLanguage = 'lt';
}
