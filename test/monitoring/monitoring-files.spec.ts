import {
  baseName,
  dashboardPanels,
  metricNames,
  monitoringExpressions,
  PROMETHEUS_SERIES,
  readAlertRules,
  readDashboard,
} from './promql-names';

/**
 * An offline sanity check of deploy/monitoring (no promtool here): the dashboard and the rules
 * parse, every expression is balanced and reads only Valley metrics. That the services export
 * each of those metrics is test/e2e/monitoring-metrics.e2e-spec.ts's.
 */
describe('metricNames (a PromQL tokenizer for our expressions)', () => {
  it('finds the metrics, not functions, aggregations, labels, strings, ranges or variables', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (consumer, le) (rate(valley_consumer_apply_delay_seconds_bucket{job=~"$job", consumer="a b"}[$__rate_interval])))',
      ),
    ).toEqual(['valley_consumer_apply_delay_seconds_bucket']);
    expect(
      metricNames(
        'sum by (consumer) (max by (consumer, topic, partition) (valley_consumer_lag_messages)) > 100\nand\nsum(delta(valley_x[10m] offset 5m)) > 1e3',
      ),
    ).toEqual(['valley_consumer_lag_messages', 'valley_x']);
    expect(metricNames('up{job="valley"} == 0 unless on (instance) group_left (x) valley_y')).toEqual([
      'up',
      'valley_y',
    ]);
  });

  it('maps a histogram’s series to its metric only for histograms', () => {
    const histograms = new Set(['valley_consumer_batch_size']);
    expect(baseName('valley_consumer_batch_size_bucket', histograms)).toBe('valley_consumer_batch_size');
    expect(baseName('valley_consumer_batch_size_count', histograms)).toBe('valley_consumer_batch_size');
    expect(baseName('valley_consumer_events_handled_total', histograms)).toBe('valley_consumer_events_handled_total');
    expect(baseName('valley_other_count', histograms)).toBe('valley_other_count');
  });
});

describe('deploy/monitoring', () => {
  it('the dashboard: unique panel ids, each panel placed and querying the Prometheus variable', () => {
    const dashboard = readDashboard();
    expect(dashboard.uid).toBe('valley-messaging');
    const panels = dashboardPanels(dashboard) as {
      id: number;
      type: string;
      gridPos?: object;
      datasource?: { uid: string };
      targets?: { expr: string; refId: string }[];
    }[];
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.gridPos).toBeDefined();
      expect(panel.datasource?.uid).toBe('${datasource}');
      expect(panel.targets?.length).toBeGreaterThan(0);
      expect(new Set(panel.targets!.map((t) => t.refId)).size).toBe(panel.targets!.length);
    }
  });

  it('the alert rules: named, with an expression, a severity and a summary; durations Prometheus reads', () => {
    const rules = readAlertRules().groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'ValleyConsumerStopped',
        'ValleyConsumerLagGrowing',
        'ValleyDeadLetters',
        'ValleyOutboxWaiting',
      ]),
    );
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Valley[A-Za-z]+$/);
      expect(rule.expr).toEqual(expect.any(String));
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
  });

  it('every expression is balanced and reads Valley metrics (or Prometheus’s own `up`)', () => {
    const expressions = monitoringExpressions();
    expect(expressions.length).toBeGreaterThan(20);
    for (const { where, expr } of expressions) {
      const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      for (const [open, close] of ['()', '[]', '{}']) {
        const depth = [...unquoted].reduce((d, c) => (d < 0 ? d : d + (c === open ? 1 : c === close ? -1 : 0)), 0);
        expect({ where, balanced: depth === 0 }).toEqual({ where, balanced: true });
      }
      const names = metricNames(expr);
      expect({ where, names: names.length > 0 }).toEqual({ where, names: true });
      for (const name of names) {
        expect({ where, name, ours: name.startsWith('valley_') || PROMETHEUS_SERIES.has(name) }).toEqual({
          where,
          name,
          ours: true,
        });
      }
    }
  });
});
