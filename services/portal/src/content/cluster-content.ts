import { FocusArea, FocusAreas } from '@valley/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Locale, Locales } from '../i18n';

/**
 * What the portal says about the cluster, in `content/cluster.<locale>.json`: a coordinator
 * edits those files (name, purpose, founders, focus areas, regions), not code. Checked when the
 * portal starts: a focus area or founder missing from a file stops it with a message.
 */
export interface ClusterContent {
  name: string;
  tagline: string;
  purpose: string[];
  foundedOn: string;
  coordinator: { name: string; email: string };
  founders: { name: string; memberId: string; description: string }[];
  focusAreas: { key: FocusArea; title: string; text: string }[];
  /** Suggestions for the application form's region field (the value is free text). */
  regions: string[];
}

export const CONTENT_DIR = join(__dirname, '..', '..', 'content');

export class Cluster {
  private readonly titles: Record<Locale, Map<string, string>>;

  constructor(private readonly content: Record<Locale, ClusterContent>) {
    for (const locale of Locales) checkContent(locale, content[locale]);
    this.titles = {
      lt: new Map(content.lt.focusAreas.map((a) => [a.key, a.title])),
      en: new Map(content.en.focusAreas.map((a) => [a.key, a.title])),
    };
  }

  static load(dir = CONTENT_DIR): Cluster {
    const read = (locale: Locale) =>
      JSON.parse(readFileSync(join(dir, `cluster.${locale}.json`), 'utf8')) as ClusterContent;
    return new Cluster({ lt: read('lt'), en: read('en') });
  }

  in(locale: Locale): ClusterContent {
    return this.content[locale];
  }

  focusAreaTitle(locale: Locale, key: string): string {
    return this.titles[locale].get(key) ?? key;
  }
}

function checkContent(locale: Locale, content: ClusterContent): void {
  const problems: string[] = [];
  const keys = (content.focusAreas ?? []).map((a) => a.key);
  for (const area of FocusAreas) if (!keys.includes(area)) problems.push(`focus area "${area}" is missing`);
  for (const key of keys)
    if (!(FocusAreas as readonly string[]).includes(key)) problems.push(`unknown focus area "${key}"`);
  if ((content.founders ?? []).length === 0) problems.push('founders are missing');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(content.foundedOn ?? '')) problems.push('foundedOn must be YYYY-MM-DD');
  for (const field of ['name', 'tagline'] as const) if (!content[field]) problems.push(`${field} is empty`);
  if (problems.length > 0) throw new Error(`content/cluster.${locale}.json: ${problems.join('; ')}`);
}
