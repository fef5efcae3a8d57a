/**
 * The reports page's charts, drawn in the page from the reporting service's JSON (its SVGs are
 * 960×540 slides in English whose text shrinks to a few pixels on a phone). Pure geometry here;
 * the templates write the SVG and HTML (escaped, no inline styles: the colours are classes of
 * portal.css, as the Content-Security-Policy has no 'unsafe-inline').
 */

export interface ChartPoint {
  label: string;
  value: number;
}

/** The line chart's drawing space (user units of the SVG's viewBox; it scales to the page's width). */
export const LINE = { width: 360, height: 220, left: 40, right: 12, top: 12, bottom: 36 } as const;

export interface LineChart {
  viewBox: string;
  /** The polyline's points (`x,y x,y …`). */
  path: string;
  /** One mark a data point: a circle, its tooltip `label: value`. */
  marks: { x: number; y: number; r: number; label: string; value: number }[];
  /** Horizontal grid lines with their value at the left. */
  ticks: { y: number; value: number }[];
  /** Labels along the bottom, a few, so that they never overlap. */
  labels: { x: number; label: string }[];
  /** For the grid lines' ends and the labels' baseline. */
  left: number;
  right: number;
  labelY: number;
  tickX: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A round top for the axis (1, 2, 2.5, 5 × 10ⁿ) at or above the largest value; at least 1. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** Growth over time: a line through one mark per point, four grid lines, labels that fit. */
export function lineChart(points: readonly ChartPoint[]): LineChart {
  const { width, height, left, right, top, bottom } = LINE;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const n = points.length;
  const slot = plotW / Math.max(n, 1);
  const x = (i: number) => round(left + slot * (i + 0.5));
  const y = (value: number) => round(top + plotH - (plotH * value) / max);
  const marks = points.map((p, i) => ({
    x: x(i),
    y: y(p.value),
    r: n > 120 ? 1.5 : 3,
    label: p.label,
    value: p.value,
  }));
  // A label takes about 6.5 units a character at the labels' size: every k-th label, so they never touch.
  const widest = Math.max(1, ...points.map((p) => p.label.length)) * 6.5 + 8;
  const every = Math.max(1, Math.ceil(widest / slot));
  return {
    viewBox: `0 0 ${width} ${height}`,
    path: marks.map((m) => `${m.x},${m.y}`).join(' '),
    marks,
    ticks: [0, 1, 2, 3, 4].map((i) => ({ y: y((max * i) / 4), value: (max * i) / 4 })),
    labels: points.flatMap((p, i) => (i % every === 0 ? [{ x: x(i), label: p.label }] : [])),
    left,
    right: width - right,
    labelY: height - bottom + 18,
    tickX: left - 6,
  };
}

export interface BarRow {
  label: string;
  value: number;
  /** The value as the page prints it beside the bar (a count, a count and a share…). */
  text: string;
}

export interface BarChart {
  rows: (BarRow & { width: number })[];
}

/**
 * Horizontal bars, one a data point: the label and figure are page text (readable at any width),
 * the bar a small SVG whose length is its share of the largest value (0–100 user units).
 */
export function barChart(rows: readonly BarRow[]): BarChart {
  const max = Math.max(0, ...rows.map((r) => r.value));
  return {
    rows: rows.map((r) => ({
      ...r,
      width: max > 0 ? round(Math.max((100 * r.value) / max, r.value > 0 ? 0.5 : 0)) : 0,
    })),
  };
}
