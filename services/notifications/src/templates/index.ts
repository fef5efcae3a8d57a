export { TemplatesModule } from './templates.module';
export { isTemplateName, TEMPLATES_DIR, TemplateNames, TemplateRenderer } from './template-renderer';
export type { RenderedEmail, TemplateName } from './template-renderer';
export { templateSamples } from './template-samples';
