export const Intervals = ['day', 'week', 'month'] as const;
export type Interval = (typeof Intervals)[number];

export interface Period {
  /** `2025-03-14`, `2025-W11` (ISO week) or `2025-03`. */
  label: string;
  /** First and last day of the period inside the requested range (UTC, inclusive). */
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;

export const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const nextDay = (day: string) => toDay(dayMs(day) + DAY_MS);

/** The periods covering [from, to], the first and last cut to the range; stops after `limit`. */
export function periodsBetween(from: string, to: string, interval: Interval, limit = Infinity): Period[] {
  const periods: Period[] = [];
  const last = dayMs(to);
  let start = dayMs(from);
  while (start <= last && periods.length < limit) {
    const d = new Date(start);
    let next: number;
    let label: string;
    if (interval === 'day') {
      next = start + DAY_MS;
      label = toDay(start);
    } else if (interval === 'week') {
      const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
      const monday = start - weekday * DAY_MS;
      next = monday + 7 * DAY_MS;
      label = isoWeekLabel(monday);
    } else {
      next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      label = toDay(start).slice(0, 7);
    }
    periods.push({ label, start: toDay(start), end: toDay(Math.min(next - DAY_MS, last)) });
    start = next;
  }
  return periods;
}

function isoWeekLabel(mondayMs: number): string {
  const thursday = new Date(mondayMs + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
