import { INTL_LOCALE, Locale } from '../../i18n';

/** The statuses the review queue shows, and the decisions each status allows (membership's transitions). */
export const QUEUE_STATUSES = ['submitted', 'under_review'] as const;
export const APPLICATION_STATUSES = ['submitted', 'under_review', 'admitted', 'rejected', 'withdrawn'] as const;
export type Decision = 'review' | 'admit' | 'reject';

const ALLOWED: Record<string, readonly Decision[]> = {
  submitted: ['review', 'admit', 'reject'],
  under_review: ['admit', 'reject'],
};

export function allowedDecisions(status: string): readonly Decision[] {
  return ALLOWED[status] ?? [];
}

/** An application whose personal data may be erased (GDPR Art. 17): rejected or withdrawn, and not yet. */
export function canErase(application: { status: string; erasedAt?: string | null }): boolean {
  return (application.status === 'rejected' || application.status === 'withdrawn') && !application.erasedAt;
}

/** Free text of an application the erase form may also mark personal (membership's `personalText`). */
export const ERASABLE_APPLICATION_TEXT = ['description', 'motivation'] as const;

export function isDecision(value: unknown): value is Decision {
  return value === 'review' || value === 'admit' || value === 'reject';
}

const relative: Record<Locale, Intl.RelativeTimeFormat> = {
  lt: new Intl.RelativeTimeFormat(INTL_LOCALE.lt, { numeric: 'always' }),
  en: new Intl.RelativeTimeFormat(INTL_LOCALE.en, { numeric: 'always' }),
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago an application came in, in the reader's language: minutes within the hour, hours
 * within the day, then days ("prieš 3 dienas", "3 days ago"). Empty for a time it cannot read.
 */
export function ageOf(locale: Locale, since: string, now: Date = new Date()): string {
  const at = Date.parse(since);
  if (Number.isNaN(at)) return '';
  const elapsed = Math.max(0, now.getTime() - at);
  if (elapsed < HOUR) return relative[locale].format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return relative[locale].format(-Math.floor(elapsed / HOUR), 'hour');
  return relative[locale].format(-Math.floor(elapsed / DAY), 'day');
}

/** Whole days since (for the queue's "waiting long" mark). */
export function daysSince(since: string, now: Date = new Date()): number {
  const at = Date.parse(since);
  return Number.isNaN(at) ? 0 : Math.floor(Math.max(0, now.getTime() - at) / DAY);
}

/** Cursors kept in a list page's URL for "previous"; a deeper trail forgets its oldest pages. */
export const MAX_TRAIL = 50;
const CURSOR = /^[A-Za-z0-9_-]{1,600}$/;

/**
 * `p`: the trail of the API's `nextCursor`s that led to this page, joined by `.` (base64url has
 * no dots); the last one is this page's cursor. Anything that is not a cursor is dropped.
 */
export function parseTrail(raw: unknown): string[] {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value === '') return [];
  const parts = value.split('.');
  return parts.every((p) => CURSOR.test(p)) ? parts.slice(-MAX_TRAIL) : [];
}

/** A list page's URL: its own parameters (empty ones left out) and the trail. */
export function listUrl(path: string, params: Record<string, string | undefined>, trail: string[]): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  if (trail.length > 0) query.set('p', trail.join('.'));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The next and previous pages' URLs of a list page. */
export function pagerOf(
  path: string,
  params: Record<string, string | undefined>,
  trail: string[],
  nextCursor: string | null,
): { next: string | null; previous: string | null } {
  return {
    next: nextCursor ? listUrl(path, params, [...trail, nextCursor].slice(-MAX_TRAIL)) : null,
    previous: trail.length > 0 ? listUrl(path, params, trail.slice(0, -1)) : null,
  };
}
