/** The composition report's dimensions (reporting's `by`), in the order the dashboard shows them. */
export const DIMENSIONS = ['sector', 'region', 'country', 'organisationType', 'sizeClass', 'focusArea'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** The reports with a CSV download on the dashboard. */
export const CSV_REPORTS = ['growth', 'composition', 'funnel', 'notifications'] as const;
export type CsvReport = (typeof CSV_REPORTS)[number];

/** The dashboard's choices: the range of growth, funnel and emails; growth's interval; composition's day. */
export interface ReportsQuery {
  from: string;
  to: string;
  interval: Interval;
  asOf: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value && value <= '9999-12-30';
}

const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The twelve calendar months ending with today's month, monthly, composition as of today. */
export function defaultReportsQuery(now: Date = new Date()): ReportsQuery {
  const to = toDay(now.getTime());
  return { from: toDay(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)), to, interval: 'month', asOf: to };
}

/** Daily points at most this many days (reporting allows 5,000 points; a page chart needs fewer). */
export const MAX_DAILY_DAYS = 400;

/**
 * The dashboard's query as sent: each value that is no real day (or no interval) is reported by
 * its field and replaced by its default; `from` after `to` is reported on `from`, as the API does;
 * daily points over more than MAX_DAILY_DAYS days are reported on `interval`.
 */
export function readReportsQuery(
  query: Record<string, unknown>,
  now: Date = new Date(),
): { q: ReportsQuery; invalid: string[] } {
  const defaults = defaultReportsQuery(now);
  const invalid: string[] = [];
  const pick = <K extends keyof ReportsQuery>(field: K, ok: (v: unknown) => boolean): ReportsQuery[K] => {
    const value = query[field];
    if (value === undefined || value === '') return defaults[field];
    if (!ok(value)) {
      invalid.push(field);
      return defaults[field];
    }
    return value as ReportsQuery[K];
  };
  const q: ReportsQuery = {
    from: pick('from', isDay),
    to: pick('to', isDay),
    interval: pick('interval', (v) => (INTERVALS as readonly unknown[]).includes(v)),
    asOf: pick('asOf', isDay),
  };
  if (q.from > q.to) {
    invalid.push('from');
    q.from = defaults.from <= q.to ? defaults.from : q.to;
  }
  const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
  if (q.interval === 'day' && days > MAX_DAILY_DAYS) {
    invalid.push('interval');
    q.interval = 'week';
  }
  return { q, invalid };
}

/** The reporting API's parameters of a report for this dashboard (the CSV link and the JSON alike). */
export function csvQuery(report: CsvReport, q: ReportsQuery, by?: Dimension): URLSearchParams {
  switch (report) {
    case 'growth':
      return new URLSearchParams({ from: q.from, to: q.to, interval: q.interval });
    case 'composition':
      return new URLSearchParams({ by: by ?? 'sector', asOf: q.asOf });
    default:
      return new URLSearchParams({ from: q.from, to: q.to });
  }
}
