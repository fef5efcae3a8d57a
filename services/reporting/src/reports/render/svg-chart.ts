export interface ChartPoint {
  label: string;
  value: number;
}

export interface ChartSpec {
  kind: 'line' | 'bar';
  title: string;
  /** What the values measure, printed along the vertical axis. */
  unit: string;
  points: ChartPoint[];
}

/** Several lines over the same labelled steps (retention: one line per cohort); null leaves a gap. */
export interface LinesChartSpec {
  kind: 'lines';
  title: string;
  unit: string;
  /** The top of the vertical axis (100 for percentages); the largest value rounded up otherwise. */
  max?: number;
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
}

/** Told apart by colour-blind readers too (Okabe and Ito), then repeated with dashes. */
const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const LEGEND_PER_ROW = 8;
const LEGEND_ROWS = 4;

const WIDTH = 960;
const HEIGHT = 540;
const MARGIN = { top: 60, right: 30, bottom: 110, left: 70 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/**
 * A self-contained SVG chart (16:9, for a slide): a line for `line`, bars for `bar`, several
 * lines for `lines`, and one mark per data point (`class="mark"`: a circle on a line, or a
 * bar), with its value as a tooltip.
 */
export function renderChart(spec: ChartSpec | LinesChartSpec): string {
  if (spec.kind === 'lines') return renderLines(spec);
  const max = niceMax(Math.max(0, ...spec.points.map((p) => p.value)));
  const n = spec.points.length;
  const slot = PLOT_W / Math.max(n, 1);
  const y = (value: number) => MARGIN.top + PLOT_H - (PLOT_H * value) / max;
  const cx = (i: number) => MARGIN.left + slot * (i + 0.5);

  const parts = frame(spec.title, spec.unit, max, y);

  if (spec.kind === 'line' && n > 0) {
    const path = spec.points.map((p, i) => `${fixed(cx(i))},${fixed(y(p.value))}`).join(' ');
    parts.push(`<polyline class="line" points="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>`);
  }
  const labelEvery = Math.max(1, Math.ceil(n / 24));
  spec.points.forEach((p, i) => {
    const tip = `<title>${escapeXml(`${p.label}: ${formatNumber(p.value)}`)}</title>`;
    if (spec.kind === 'line') {
      const r = n > 200 ? 1.5 : 3.5;
      parts.push(
        `<circle class="mark" cx="${fixed(cx(i))}" cy="${fixed(y(p.value))}" r="${r}" fill="#1f6feb">${tip}</circle>`,
      );
    } else {
      const w = Math.max(1, slot * 0.7);
      const top = y(p.value);
      parts.push(
        `<rect class="mark" x="${fixed(cx(i) - w / 2)}" y="${fixed(top)}" width="${fixed(w)}" height="${fixed(MARGIN.top + PLOT_H - top)}" fill="#1f6feb">${tip}</rect>`,
      );
      if (n <= 40) {
        parts.push(
          `<text x="${fixed(cx(i))}" y="${fixed(top - 5)}" text-anchor="middle" font-size="11" ${FONT}>${formatNumber(p.value)}</text>`,
        );
      }
    }
    if (i % labelEvery === 0) {
      const lx = fixed(cx(i));
      const ly = MARGIN.top + PLOT_H + 14;
      parts.push(
        `<text x="${lx}" y="${ly}" transform="rotate(45 ${lx} ${ly})" font-size="11" ${FONT}>${escapeXml(p.label)}</text>`,
      );
    }
  });
  parts.push(
    `<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top + PLOT_H}" x2="${WIDTH - MARGIN.right}" y2="${MARGIN.top + PLOT_H}" stroke="#333333"/>`,
    '</svg>',
  );
  return parts.join('\n');
}

/**
 * One polyline per series (each point a `class="mark"` circle with its value as a tooltip), the
 * labels along the bottom, and a legend of the series under them (the first 32).
 */
function renderLines(spec: LinesChartSpec): string {
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = spec.max ?? niceMax(Math.max(0, ...values));
  const n = spec.labels.length;
  const slot = PLOT_W / Math.max(n, 1);
  const y = (value: number) => MARGIN.top + PLOT_H - (PLOT_H * value) / max;
  const cx = (i: number) => MARGIN.left + slot * (i + 0.5);
  const parts = frame(spec.title, spec.unit, max, y);
  spec.labels.forEach((label, i) => {
    parts.push(
      `<text x="${fixed(cx(i))}" y="${MARGIN.top + PLOT_H + 16}" text-anchor="middle" font-size="11" ${FONT}>${escapeXml(label)}</text>`,
    );
  });
  spec.series.forEach((series, s) => {
    const colour = SERIES_COLOURS[s % SERIES_COLOURS.length];
    const dash = s >= SERIES_COLOURS.length ? ' stroke-dasharray="6 3"' : '';
    // A gap (null) ends one polyline; the next value starts another.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) {
        parts.push(
          `<polyline class="line" points="${run.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`,
        );
      }
      run = [];
    };
    series.values.forEach((value, i) => {
      if (value === null) return flush();
      run.push(`${fixed(cx(i))},${fixed(y(value))}`);
      const tip = `<title>${escapeXml(`${series.name}, ${spec.labels[i]}: ${formatNumber(value)}`)}</title>`;
      parts.push(
        `<circle class="mark" cx="${fixed(cx(i))}" cy="${fixed(y(value))}" r="3" fill="${colour}">${tip}</circle>`,
      );
    });
    flush();
    if (s < LEGEND_PER_ROW * LEGEND_ROWS) {
      const lx = MARGIN.left + (s % LEGEND_PER_ROW) * (PLOT_W / LEGEND_PER_ROW);
      const ly = MARGIN.top + PLOT_H + 40 + Math.floor(s / LEGEND_PER_ROW) * 17;
      parts.push(
        `<line class="legend" x1="${fixed(lx)}" y1="${ly}" x2="${fixed(lx + 18)}" y2="${ly}" stroke="${colour}" stroke-width="3"${dash}/>`,
        `<text x="${fixed(lx + 23)}" y="${ly}" dominant-baseline="middle" font-size="11" ${FONT}>${escapeXml(series.name)}</text>`,
      );
    }
  });
  parts.push(
    `<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top + PLOT_H}" x2="${WIDTH - MARGIN.right}" y2="${MARGIN.top + PLOT_H}" stroke="#333333"/>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** The opening tag, background, title, grid with its values, and the unit along the vertical axis. */
function frame(title: string, unit: string, max: number, y: (value: number) => number): string[] {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<rect class="background" x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="32" text-anchor="middle" font-size="20" ${FONT}>${escapeXml(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    const yy = fixed(y(value));
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" y1="${yy}" x2="${WIDTH - MARGIN.right}" y2="${yy}" stroke="#dddddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle" font-size="12" ${FONT}>${formatNumber(value)}</text>`,
    );
  }
  parts.push(
    `<text x="16" y="${MARGIN.top + PLOT_H / 2}" transform="rotate(-90 16 ${MARGIN.top + PLOT_H / 2})" text-anchor="middle" font-size="13" ${FONT}>${escapeXml(unit)}</text>`,
  );
  return parts;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value)!;
  return step * magnitude;
}

const fixed = (n: number) => Math.round(n * 10) / 10;
const formatNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ''));
