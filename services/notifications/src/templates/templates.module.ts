import { Module } from '@nestjs/common';
import { TemplateRenderer } from './template-renderer';
import { TemplatesController } from './templates.controller';

@Module({
  controllers: [TemplatesController],
  providers: [TemplateRenderer],
  exports: [TemplateRenderer],
})
export class TemplatesModule {}
