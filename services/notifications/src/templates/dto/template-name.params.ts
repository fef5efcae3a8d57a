import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { TemplateName, TemplateNames } from '../template-renderer';

export class TemplateNameParams {
  @ApiProperty({ enum: TemplateNames })
  @IsIn(TemplateNames, { message: `name must be one of the templates: ${TemplateNames.join(', ')}` })
  name!: TemplateName;
}
