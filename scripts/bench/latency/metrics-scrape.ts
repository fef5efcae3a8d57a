import { Spread } from './samples';

/** One histogram's cumulative buckets (upper bound in seconds → count) and its count. */
export interface HistogramReading {
  buckets: Map<number, number>;
  count: number;
}

/** `name{labels}` → reading, for every histogram series in a Prometheus text exposition. */
export type Histograms = Map<string, HistogramReading>;

const SERIES = /^([a-zA-Z_:][a-zA-Z0-9_:]*)_(bucket|count)\{?([^}]*)\}?\s+(\S+)$/;

/** Reads the histograms of a `/metrics` text: the series key leaves `le` out. */
export function parseHistograms(text: string): Histograms {
  const histograms: Histograms = new Map();
  for (const line of text.split('\n')) {
    const match = SERIES.exec(line.trim());
    if (!match) continue;
    const [, name, kind, labelText, value] = match;
    const labels = labelText
      .split(',')
      .filter((pair) => pair !== '' && !pair.startsWith('le='))
      .join(',');
    const key = `${name}{${labels}}`;
    const reading = histograms.get(key) ?? { buckets: new Map(), count: 0 };
    if (kind === 'count') reading.count = Number(value);
    else {
      const le = /le="([^"]+)"/.exec(labelText)?.[1];
      if (le !== undefined) reading.buckets.set(le === '+Inf' ? Infinity : Number(le), Number(value));
    }
    histograms.set(key, reading);
  }
  return histograms;
}

export async function scrape(url: string): Promise<Histograms> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return parseHistograms(await response.text());
}

/** What a histogram counted between two scrapes. */
export function delta(before: HistogramReading | undefined, after: HistogramReading): HistogramReading {
  const buckets = new Map<number, number>();
  for (const [le, count] of after.buckets) buckets.set(le, count - (before?.buckets.get(le) ?? 0));
  return { buckets, count: after.count - (before?.count ?? 0) };
}

/**
 * A quantile of a histogram, interpolated linearly inside its bucket, as Prometheus's
 * histogram_quantile does; milliseconds.
 */
export function histogramQuantile(reading: HistogramReading, q: number): number {
  if (reading.count === 0) return Number.NaN;
  const bounds = [...reading.buckets.keys()].sort((a, b) => a - b);
  const rank = q * reading.count;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const cumulative = reading.buckets.get(bound)!;
    if (cumulative >= rank) {
      if (bound === Infinity) return lower * 1000;
      const inBucket = cumulative - below;
      const fraction = inBucket === 0 ? 0 : (rank - below) / inBucket;
      return (lower + (bound - lower) * fraction) * 1000;
    }
    lower = bound;
    below = cumulative;
  }
  return lower * 1000;
}

export function histogramSpread(reading: HistogramReading): Spread {
  return {
    count: reading.count,
    p50: histogramQuantile(reading, 0.5),
    p95: histogramQuantile(reading, 0.95),
    p99: histogramQuantile(reading, 0.99),
  };
}

/** The series of `name` (any labels) whose label text contains `labelFilter`, summed. */
export function pick(histograms: Histograms, name: string, labelFilter = ''): HistogramReading | undefined {
  let total: HistogramReading | undefined;
  for (const [key, reading] of histograms) {
    if (!key.startsWith(`${name}{`) || !key.includes(labelFilter)) continue;
    if (!total) total = { buckets: new Map(reading.buckets), count: reading.count };
    else {
      for (const [le, count] of reading.buckets) total.buckets.set(le, (total.buckets.get(le) ?? 0) + count);
      total.count += reading.count;
    }
  }
  return total;
}
