import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const MONITORING_DIR = join(__dirname, '../../deploy/monitoring');
export const DASHBOARD_PATH = join(MONITORING_DIR, 'grafana/valley-dashboard.json');
export const ALERTS_PATH = join(MONITORING_DIR, 'prometheus/alerts.yml');

/** Series Prometheus makes itself, not a service: `up` (the scrape answered). */
export const PROMETHEUS_SERIES = new Set(['up']);

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions, aggregation
 * operators, keywords, label names (in `{…}`, `by (…)`, `on (…)` and the like), strings, ranges or
 * Grafana variables. A small tokenizer, not a parser: enough for the expressions we write.
 */
export function metricNames(expr: string): string[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\$\{?\w+\}?/g, ' ') // Grafana variables ($job, ${__rate_interval})
    .replace(/#[^\n]*/g, ' '); // comments
  const names = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = match[0];
    const before = text[match.index - 1] ?? '';
    const after = text.slice(match.index + name.length).trimStart();
    if (/[0-9.]/.test(before)) continue; // a unit of a number: 5m, 1e3
    if (after.startsWith('(')) continue; // a function or an aggregation
    if (KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/** A histogram's or summary's series name, for its metric's: `x_bucket` → `x`. */
export function baseName(name: string, histograms: ReadonlySet<string>): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && histograms.has(base) ? base : name;
}

interface Target {
  expr?: string;
}
interface Panel {
  id?: number;
  title?: string;
  type?: string;
  targets?: Target[];
  panels?: Panel[];
}
export interface Dashboard {
  title: string;
  uid: string;
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: string | { query?: string } }[] };
}

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8'));
}

export function readAlertRules(): { groups: { name: string; rules: AlertRule[] }[] } {
  return parse(readFileSync(ALERTS_PATH, 'utf8'));
}

export function dashboardPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every PromQL expression of the dashboard (panels, variables) and of the alert rules, with where it is. */
export function monitoringExpressions(): { where: string; expr: string }[] {
  const dashboard = readDashboard();
  const found: { where: string; expr: string }[] = [];
  for (const panel of dashboardPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (target.expr) found.push({ where: `dashboard panel "${panel.title}"`, expr: target.expr });
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    // label_values(metric, label): the metric is what counts
    const metric = query?.match(/label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)/)?.[1];
    if (metric) found.push({ where: `dashboard variable $${variable.name}`, expr: metric });
  }
  for (const group of readAlertRules().groups) {
    for (const rule of group.rules) {
      found.push({ where: `alert ${rule.alert ?? rule.record}`, expr: rule.expr });
    }
  }
  return found;
}

/** What a /metrics text declares: every metric's name, and which are histograms or summaries. */
export function exportedMetrics(text: string): { names: Set<string>; histograms: Set<string>; sampled: Set<string> } {
  const names = new Set<string>();
  const histograms = new Set<string>();
  const sampled = new Set<string>();
  for (const line of text.split('\n')) {
    const type = line.match(/^# TYPE (\S+) (\S+)/);
    if (type) {
      names.add(type[1]);
      if (type[2] === 'histogram' || type[2] === 'summary') histograms.add(type[1]);
      continue;
    }
    const sample = line.match(/^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/);
    if (sample) sampled.add(sample[1]);
  }
  return { names, histograms, sampled };
}
