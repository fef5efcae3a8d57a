import { allCountryCodes, countriesByName, countryName, formatDay, formatMoment, formatNumber } from './format';

describe('dates, numbers and countries in the reader’s language', () => {
  it('writes a calendar day as that day in either language', () => {
    expect(formatDay('lt', '2020-04-27')).toBe('2020 m. balandžio 27 d.');
    expect(formatDay('en', '2020-04-27')).toBe('27 April 2020');
    expect(formatDay('en', 'not a day')).toBe('not a day');
    expect(formatDay('en', null)).toBe('');
  });

  it('writes a moment on the cluster’s clock (Vilnius)', () => {
    expect(formatMoment('en', '2026-11-27T22:30:00Z')).toBe('28 November 2026 at 00:30');
    expect(formatMoment('lt', '2026-11-27T08:15:00Z')).toMatch(/^2026 m\. lapkričio 27 d\.,? 10:15$/);
  });

  it('groups digits as each language does', () => {
    expect(formatNumber('en', 100000)).toBe('100,000');
    expect(formatNumber('lt', 100000)).toMatch(/^100\s000$/);
  });

  it('names countries, and lists every ISO code the API accepts by name', () => {
    expect(countryName('lt', 'LT')).toBe('Lietuva');
    expect(countryName('en', 'DE')).toBe('Germany');
    expect(allCountryCodes()).toHaveLength(249);
    const lt = countriesByName('lt');
    expect(lt.map((c) => c.name).indexOf('Latvija')).toBeLessThan(lt.map((c) => c.name).indexOf('Lietuva'));
  });
});
