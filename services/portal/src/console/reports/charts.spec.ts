import { barChart, lineChart, niceMax } from './charts';
import { csvQuery, readReportsQuery } from './reports-query';

describe('report charts', () => {
  it('draws one mark per point, inside the drawing, highest value at the top', () => {
    const points = [3, 5, 5, 8, 13].map((value, i) => ({ label: `2026-0${i + 1}`, value }));
    const chart = lineChart(points);
    expect(chart.marks).toHaveLength(5);
    expect(chart.path.split(' ')).toHaveLength(5);
    expect(niceMax(13)).toBe(20);
    const ys = chart.marks.map((m) => m.y);
    expect(Math.min(...ys)).toBe(ys[4]);
    for (const m of chart.marks) {
      expect(m.x).toBeGreaterThan(chart.left);
      expect(m.x).toBeLessThan(chart.right);
    }
    expect(chart.ticks.map((t) => t.value)).toEqual([0, 5, 10, 15, 20]);
  });

  it('leaves labels out rather than letting them overlap; draws an empty range', () => {
    const points = Array.from({ length: 365 }, (_, i) => ({ label: `2026-01-${i}`, value: i }));
    const chart = lineChart(points);
    expect(chart.marks).toHaveLength(365);
    const gaps = chart.labels.slice(1).map((l, i) => l.x - chart.labels[i].x);
    expect(Math.min(...gaps)).toBeGreaterThan(10 * 6.5);
    expect(lineChart([]).marks).toEqual([]);
  });

  it('sizes bars by their share of the largest, a visible sliver for small ones, none for zero', () => {
    const chart = barChart([
      { label: 'C', value: 400, text: '400' },
      { label: 'J', value: 1, text: '1' },
      { label: 'N', value: 0, text: '0' },
    ]);
    expect(chart.rows.map((r) => r.width)).toEqual([100, 0.5, 0]);
    expect(barChart([{ label: 'x', value: 0, text: '0' }]).rows[0].width).toBe(0);
  });
});

describe("the reports page's query", () => {
  const now = new Date('2026-12-03T10:00:00Z');

  it('defaults to the twelve months ending this month, monthly, composition today', () => {
    expect(readReportsQuery({}, now)).toEqual({
      q: { from: '2026-01-01', to: '2026-12-03', interval: 'month', asOf: '2026-12-03' },
      invalid: [],
    });
  });

  it('names each bad value and uses its default', () => {
    expect(
      readReportsQuery({ from: '2026-02-30', to: 'x', interval: 'year', asOf: '2026-13-01' }, now).invalid,
    ).toEqual(['from', 'to', 'interval', 'asOf']);
    const late = readReportsQuery({ from: '2026-06-01', to: '2026-05-01' }, now);
    expect(late.invalid).toEqual(['from']);
    expect(late.q.from <= late.q.to).toBe(true);
    const daily = readReportsQuery({ from: '2020-01-01', to: '2026-01-01', interval: 'day' }, now);
    expect(daily).toMatchObject({ invalid: ['interval'], q: { interval: 'week' } });
  });

  it("gives each report the API's parameters", () => {
    const { q } = readReportsQuery({ from: '2026-01-01', to: '2026-03-31', interval: 'week', asOf: '2026-02-01' }, now);
    expect(String(csvQuery('growth', q))).toBe('from=2026-01-01&to=2026-03-31&interval=week');
    expect(String(csvQuery('composition', q, 'region'))).toBe('by=region&asOf=2026-02-01');
    expect(String(csvQuery('funnel', q))).toBe('from=2026-01-01&to=2026-03-31');
  });
});
