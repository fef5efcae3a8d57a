import { XMLParser } from 'fast-xml-parser';
import { renderChart } from './svg-chart';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

function marks(svg: string, element: 'circle' | 'rect'): { class: string }[] {
  const doc = parser.parse(svg, true);
  const found = doc.svg[element];
  const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
  return list.filter((e: { class: string }) => e.class === 'mark');
}

describe('renderChart', () => {
  it('draws a line chart with one circle per point, as well-formed XML', () => {
    const svg = renderChart({
      kind: 'line',
      title: 'Members <& "growth">',
      unit: 'members',
      points: [
        { label: '2025-01', value: 5 },
        { label: '2025-02', value: 7 },
        { label: '2025-03', value: 6 },
      ],
    });
    expect(marks(svg, 'circle')).toHaveLength(3);
    expect(svg).toContain('Members &lt;&amp; &quot;growth&quot;&gt;');
  });

  it('draws a bar chart with one bar per point, even for zero values', () => {
    const svg = renderChart({
      kind: 'bar',
      title: 'Šiaulių apskritis',
      unit: 'members',
      points: [
        { label: 'C', value: 3 },
        { label: 'M', value: 0 },
      ],
    });
    expect(marks(svg, 'rect')).toHaveLength(2);
    expect(marks(svg, 'circle')).toHaveLength(0);
  });

  it('renders an empty chart', () => {
    const svg = renderChart({ kind: 'bar', title: 'none', unit: 'members', points: [] });
    expect(marks(svg, 'rect')).toHaveLength(0);
  });
});

describe('renderChart, several lines', () => {
  const polylines = (svg: string) => {
    const found = parser.parse(svg, true).svg.polyline ?? [];
    return (Array.isArray(found) ? found : [found]) as { points: string; stroke: string }[];
  };

  it('draws a line and a mark per value for each series, a gap where a value is missing, and a legend', () => {
    const svg = renderChart({
      kind: 'lines',
      title: 'Retention',
      unit: '% still members',
      max: 100,
      labels: ['0', '1', '2', '3'],
      series: [
        { name: '2021', values: [100, 80, null, 60] },
        { name: '2022', values: [100, 90, 85, null] },
      ],
    });
    expect(marks(svg, 'circle')).toHaveLength(6);
    // 2021 breaks at its gap: one polyline of two points, and a lone point with no line; 2022 one of three.
    expect(polylines(svg).map((p) => p.points.split(' ').length)).toEqual([2, 3]);
    expect(new Set(polylines(svg).map((p) => p.stroke)).size).toBe(2);
    expect(svg).toContain('>2022</text>');
    expect(svg).toContain('<title>2021, 3: 60</title>');
  });

  it('keeps the vertical axis at the given maximum', () => {
    const svg = renderChart({ kind: 'lines', title: 't', unit: '%', max: 100, labels: ['0'], series: [] });
    expect(svg).toContain('>100</text>');
    expect(marks(svg, 'circle')).toHaveLength(0);
  });
});
