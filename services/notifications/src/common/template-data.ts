/** The values a template is rendered with, as a delivery stores them. */
export type TemplateData = Record<string, string | number | boolean | null | string[]>;
