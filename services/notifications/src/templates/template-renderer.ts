import { Injectable } from '@nestjs/common';
import { ContactLanguage, FocusArea } from '@valley/contracts';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { focusAreaLabels } from './focus-area-labels';

/** Template files a coordinator can edit: templates/<name>/<language>/{subject,text,html}.hbs. */
export const TEMPLATES_DIR = join(__dirname, '..', '..', 'templates');

export const TemplateNames = ['welcome'] as const;
export type TemplateName = (typeof TemplateNames)[number];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = Record<keyof RenderedEmail, Handlebars.TemplateDelegate>;

/** Renders emails with Handlebars (HTML-escaped in the HTML part, plain in the text part). */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();

  constructor() {
    this.handlebars.registerHelper('focusAreaLabel', (area: FocusArea, language: ContactLanguage) => {
      return focusAreaLabels[area]?.[language] ?? area;
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
