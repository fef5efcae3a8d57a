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
