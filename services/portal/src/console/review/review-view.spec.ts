import { ageOf, allowedDecisions, daysSince, listUrl, pagerOf, parseTrail } from './review-view';

describe('the review queue', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('shows an application’s age in the reader’s language', () => {
    expect(ageOf('en', '2026-12-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(ageOf('en', '2026-12-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(ageOf('en', '2026-11-28T12:00:00Z', now)).toBe('3 days ago');
    expect(ageOf('lt', '2026-11-28T12:00:00Z', now)).toBe('prieš 3 dienas');
    expect(ageOf('lt', '2026-11-30T11:00:00Z', now)).toBe('prieš 1 dieną');
    expect(ageOf('lt', 'not a time', now)).toBe('');
    expect(daysSince('2026-11-10T12:00:00Z', now)).toBe(21);
  });

  it('offers only the decisions a status allows', () => {
    expect(allowedDecisions('submitted')).toEqual(['review', 'admit', 'reject']);
    expect(allowedDecisions('under_review')).toEqual(['admit', 'reject']);
    for (const done of ['admitted', 'rejected', 'withdrawn', 'other']) expect(allowedDecisions(done)).toEqual([]);
  });

  it('keeps the trail of cursors in the URL for next and previous pages', () => {
    expect(parseTrail('abc.de-f_')).toEqual(['abc', 'de-f_']);
    expect(parseTrail('abc.<script>')).toEqual([]);
    expect(parseTrail(undefined)).toEqual([]);
    expect(listUrl('/console/members', { q: 'a b', status: undefined }, [])).toBe('/console/members?q=a+b');
    expect(pagerOf('/console/review', {}, ['c1'], 'c2')).toEqual({
      next: '/console/review?p=c1.c2',
      previous: '/console/review',
    });
    expect(pagerOf('/console/review', {}, [], null)).toEqual({ next: null, previous: null });
  });
});
