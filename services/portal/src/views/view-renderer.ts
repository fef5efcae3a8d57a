import { naceEntry } from '@valley/contracts';
import Handlebars, { HelperOptions } from 'handlebars';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Cluster } from '../content';
import { countryName, formatDay, formatMoment, formatNumber } from '../i18n';
import { Locale, Locales } from '../i18n';
import { Messages, MessageParams } from '../i18n';

export const VIEWS_DIR = join(__dirname, '..', '..', 'views');
export const PUBLIC_DIR = join(__dirname, '..', '..', 'public');

/** What every page knows besides its own model: the reader's language and the request. */
export interface PageContext {
  locale: Locale;
  /** The path and query of this page, for the language switch to come back to. */
  url: string;
  /** The CSRF token for the page's forms (pages with a POST form). */
  csrfToken?: string;
  /** Who is signed in (the header shows Account or Console and the sign-out button). */
  person?: HeaderPerson;
}

/** The header's view of the session. */
export interface HeaderPerson {
  kind: 'member' | 'coordinator';
  coordinator: boolean;
  label: string;
  /** The CSRF token of the header's sign-out form. */
  signOutCsrf: string;
}

/**
 * Server-side pages: Handlebars, one layout (`views/layout.hbs`, used as a partial block by
 * every page), a few partials (`views/partials/`), one template per page (`views/pages/`).
 * Output is escaped: the templates never use triple braces (a test checks), and helpers
 * return plain strings, which Handlebars escapes too.
 */
export class ViewRenderer {
  private readonly hbs = Handlebars.create();
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly assetVersions = new Map<string, string>();

  constructor(
    private readonly messages: Messages,
    private readonly cluster: Cluster,
    viewsDir = VIEWS_DIR,
    publicDir = PUBLIC_DIR,
  ) {
    for (const file of listFiles(publicDir)) {
      const version = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10);
      this.assetVersions.set(relative(publicDir, file).split('\\').join('/'), version);
    }
    this.registerHelpers();
    this.hbs.registerPartial('layout', readFileSync(join(viewsDir, 'layout.hbs'), 'utf8'));
    for (const file of readdirSync(join(viewsDir, 'partials')).filter((f) => f.endsWith('.hbs'))) {
      const source = readFileSync(join(viewsDir, 'partials', file), 'utf8');
      this.hbs.parse(source);
      this.hbs.registerPartial(basename(file, '.hbs'), source);
    }
    for (const file of readdirSync(join(viewsDir, 'pages')).filter((f) => f.endsWith('.hbs'))) {
      const source = readFileSync(join(viewsDir, 'pages', file), 'utf8');
      // Handlebars compiles on first use: parse now, so that a broken page stops the start, not a request.
      this.hbs.parse(source);
      this.pages.set(basename(file, '.hbs'), this.hbs.compile(source));
    }
  }

  render(page: string, context: PageContext, model: object = {}): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`no page template "${page}"`);
    const other = Locales.filter((l) => l !== context.locale);
    return template({
      ...model,
      locale: context.locale,
      csrfToken: context.csrfToken,
      person: context.person,
      cluster: this.cluster.in(context.locale),
      languages: other.map((locale) => ({
        locale,
        href: `/language/${locale}?next=${encodeURIComponent(context.url)}`,
      })),
    });
  }

  /** A text in the reader's language (for messages a controller puts into a model). */
  t(locale: Locale, key: string, params?: MessageParams): string {
    return this.messages.t(locale, key, params);
  }

  /** `/static/<path>?v=<content hash>`: served with a long cache lifetime, changed with the file. */
  asset(path: string): string {
    const version = this.assetVersions.get(path);
    if (!version) throw new Error(`no static file "${path}"`);
    return `/static/${path}?v=${version}`;
  }

  private registerHelpers(): void {
    const locale = (options: HelperOptions): Locale => options.data.root.locale;
    const messages = this.messages;
    this.hbs.registerHelper('t', function (key: string, options: HelperOptions) {
      return messages.t(locale(options), key, options.hash as MessageParams);
    });
    // A vocabulary value's label (`vocab.sizeClass.` + `small`); a value the locale files do not know shows as is.
    this.hbs.registerHelper('vocab', function (prefix: string, value: unknown, options: HelperOptions) {
      const key = `${prefix}${String(value)}`;
      return messages.has(locale(options), key) ? messages.t(locale(options), key) : String(value ?? '');
    });
    this.hbs.registerHelper('fmtDay', (value: string, options: HelperOptions) => formatDay(locale(options), value));
    this.hbs.registerHelper('fmtMoment', (value: string, options: HelperOptions) =>
      formatMoment(locale(options), value),
    );
    this.hbs.registerHelper('fmtNumber', (value: number, options: HelperOptions) =>
      formatNumber(locale(options), value),
    );
    this.hbs.registerHelper('countryName', (code: string, options: HelperOptions) =>
      countryName(locale(options), code),
    );
    this.hbs.registerHelper('focusArea', (key: string, options: HelperOptions) =>
      this.cluster.focusAreaTitle(locale(options), key),
    );
    this.hbs.registerHelper('naceTitle', (code: string) => naceEntry(code)?.title ?? '');
    this.hbs.registerHelper('asset', (path: string) => this.asset(path));
    // Only http(s) links reach an href (the APIs check this too; a javascript: URL never does).
    this.hbs.registerHelper('safeUrl', (url: unknown) =>
      typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) ? url : '',
    );
    this.hbs.registerHelper('hostOf', (url: unknown) => {
      try {
        return typeof url === 'string' ? new URL(url).host : '';
      } catch {
        return '';
      }
    });
    this.hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('not', (a: unknown) => !a);
    this.hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    this.hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    this.hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
