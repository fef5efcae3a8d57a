import { dayMs, nextDay, periodsBetween, toDay } from './periods';

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

describe('periods, at their edges', () => {
  it('days: each its own start and end', () => {
    expect(periodsBetween('2024-12-31', '2025-01-01', 'day')).toEqual([
      { label: '2024-12-31', start: '2024-12-31', end: '2024-12-31' },
      { label: '2025-01-01', start: '2025-01-01', end: '2025-01-01' },
    ]);
  });

  it('one period when from is to; none when from is after to', () => {
    expect(periodsBetween('2025-03-14', '2025-03-14', 'month')).toEqual([
      { label: '2025-03', start: '2025-03-14', end: '2025-03-14' },
    ]);
    expect(periodsBetween('2025-03-14', '2025-03-14', 'week')).toEqual([
      { label: '2025-W11', start: '2025-03-14', end: '2025-03-14' },
    ]);
    expect(periodsBetween('2025-03-15', '2025-03-14', 'day')).toEqual([]);
  });

  it('months across a year, ending on the last day of each', () => {
    expect(periodsBetween('2024-11-30', '2025-02-28', 'month')).toEqual([
      { label: '2024-11', start: '2024-11-30', end: '2024-11-30' },
      { label: '2024-12', start: '2024-12-01', end: '2024-12-31' },
      { label: '2025-01', start: '2025-01-01', end: '2025-01-31' },
      { label: '2025-02', start: '2025-02-01', end: '2025-02-28' },
    ]);
  });

  it('weeks from a Sunday, and ISO week numbers at the turn of the year (week 53, the week of 4 January)', () => {
    expect(periodsBetween('2025-01-12', '2025-01-20', 'week')).toEqual([
      { label: '2025-W02', start: '2025-01-12', end: '2025-01-12' },
      { label: '2025-W03', start: '2025-01-13', end: '2025-01-19' },
      { label: '2025-W04', start: '2025-01-20', end: '2025-01-20' },
    ]);
    expect(periodsBetween('2020-12-28', '2021-01-10', 'week').map((p) => p.label)).toEqual(['2020-W53', '2021-W01']);
    expect(periodsBetween('2026-12-31', '2027-01-04', 'week').map((p) => p.label)).toEqual(['2026-W53', '2027-W01']);
    expect(periodsBetween('2024-12-30', '2024-12-30', 'week')[0].label).toBe('2025-W01');
  });

  it('stops at exactly the limit', () => {
    expect(periodsBetween('2025-01-01', '2025-12-31', 'month', 2).map((p) => p.label)).toEqual(['2025-01', '2025-02']);
    expect(periodsBetween('2025-01-01', '2025-01-02', 'day', 5)).toHaveLength(2);
  });

  it('days as dates, midnights and the next day (UTC)', () => {
    expect(toDay(Date.UTC(2024, 1, 29, 23, 59))).toBe('2024-02-29');
    expect(dayMs('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2024-12-31')).toBe('2025-01-01');
  });
});
