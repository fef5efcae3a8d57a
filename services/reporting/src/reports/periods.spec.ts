import { periodsBetween } from './periods';

describe('periodsBetween', () => {
  it('cuts months to the range', () => {
    expect(periodsBetween('2025-01-15', '2025-03-10', 'month')).toEqual([
      { label: '2025-01', start: '2025-01-15', end: '2025-01-31' },
      { label: '2025-02', start: '2025-02-01', end: '2025-02-28' },
      { label: '2025-03', start: '2025-03-01', end: '2025-03-10' },
    ]);
  });

  it('uses ISO weeks starting on Monday', () => {
    expect(periodsBetween('2024-12-31', '2025-01-13', 'week')).toEqual([
      { label: '2025-W01', start: '2024-12-31', end: '2025-01-05' },
      { label: '2025-W02', start: '2025-01-06', end: '2025-01-12' },
      { label: '2025-W03', start: '2025-01-13', end: '2025-01-13' },
    ]);
  });

  it('gives one point per day, and stops at the limit', () => {
    expect(periodsBetween('2024-02-28', '2024-03-01', 'day').map((p) => p.label)).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(periodsBetween('2000-01-01', '2030-01-01', 'day', 10)).toHaveLength(10);
  });
});
