import { Injectable } from '@nestjs/common';
import { ContactLanguage, FocusArea, OrganisationType } from '@valley/contracts';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { focusAreaLabels } from './focus-area-labels';
import { organisationTypeLabels } from './organisation-type-labels';

/** Template files a coordinator can edit: templates/<name>/<language>/{subject,text,html}.hbs. */
export const TEMPLATES_DIR = join(__dirname, '..', '..', 'templates');

export const TemplateNames = [
  'application-received',
  'application-review',
  'application-rejected',
  'welcome',
  'announcement',
  'member-suspended',
  'membership-ended',
  'member-sign-in',
  'webhook-paused',
] as const;
export type TemplateName = (typeof TemplateNames)[number];

export function isTemplateName(name: string): name is TemplateName {
  return (TemplateNames as readonly string[]).includes(name);
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = Record<keyof RenderedEmail, Handlebars.TemplateDelegate>;

/**
 * Renders emails with Handlebars (HTML-escaped in the HTML part, plain in the text part), in
 * strict mode: a template that names a field the data lacks fails loudly instead of sending a
 * blank. Files are read once per process; a coordinator's edit takes effect on restart.
 */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();

  constructor() {
    this.handlebars.registerHelper('focusAreaLabel', (area: FocusArea, language: ContactLanguage) => {
      return focusAreaLabels[area]?.[language] ?? area;
    });
    this.handlebars.registerHelper('organisationTypeLabel', (type: OrganisationType, language: ContactLanguage) => {
      return organisationTypeLabels[type]?.[language] ?? type;
    });
  }

  render(template: TemplateName, language: ContactLanguage, data: Record<string, unknown>): RenderedEmail {
    const compiled = this.compiled(template, language);
    return {
      subject: compiled.subject(data).trim(),
      text: compiled.text(data),
      html: compiled.html(data),
    };
  }

  private compiled(template: TemplateName, language: ContactLanguage): Compiled {
    const key = `${template}/${language}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      const load = (part: string, noEscape: boolean) =>
        this.handlebars.compile(readFileSync(join(TEMPLATES_DIR, template, language, `${part}.hbs`), 'utf8'), {
          noEscape,
          strict: true,
        });
      compiled = { subject: load('subject', true), text: load('text', true), html: load('html', false) };
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
