import {
  apiQuery,
  hasFilters,
  MAX_TRAIL,
  nextPage,
  parseDirectorySearch,
  portalUrl,
  previousPage,
  searchBack,
  without,
} from './directory-search';

describe('the directory page’s URL', () => {
  it('reads a query, repeated filters, a year and a sort, dropping what the directory would refuse', () => {
    const search = parseDirectorySearch({
      q: '  Pazangios ',
      sector: ['M', 'C26', 'not-a-code', 'M'],
      region: 'Šiaulių apskritis',
      country: ['LT', 'lt'],
      focusArea: ['cooperation', 'gardening'],
      organisationType: 'business',
      sizeClass: ['micro', 'huge'],
      since: '2020',
      sort: '-memberSince',
      p: 'abc.d_e-f.$$$',
    });
    expect(search).toEqual({
      q: 'Pazangios',
      filters: {
        sector: ['M', 'C26'],
        region: ['Šiaulių apskritis'],
        country: ['LT'],
        focusArea: ['cooperation'],
        organisationType: ['business'],
        sizeClass: ['micro'],
      },
      since: '2020',
      sort: '-memberSince',
      trail: ['abc', 'd_e-f'],
    });
    expect(hasFilters(search)).toBe(true);
  });

  it('drops relevance without words, a year that is no year, and words without a letter or digit', () => {
    expect(parseDirectorySearch({ sort: 'relevance', since: '20xx', q: '  ?! ' })).toEqual({
      filters: { sector: [], region: [], country: [], focusArea: [], organisationType: [], sizeClass: [] },
      trail: [],
    });
    expect(hasFilters(parseDirectorySearch({ q: 'x' }))).toBe(false);
  });

  it("asks the directory API for the page: its own parameters, the year as a day range, this page's cursor", () => {
    const search = parseDirectorySearch({ q: 'led', sector: ['C', 'C27'], since: '2021', p: 'one.two' });
    expect(apiQuery(search).toString()).toBe(
      'q=led&sector=C&sector=C27&memberSinceFrom=2021-01-01&memberSinceTo=2021-12-31&limit=20&cursor=two',
    );
    expect(apiQuery(parseDirectorySearch({})).toString()).toBe('limit=20');
  });

  it('turns pages with the trail of next cursors, and goes back by dropping the last', () => {
    const first = parseDirectorySearch({ q: 'led', region: 'Kauno apskritis' });
    expect(previousPage(first)).toBeNull();
    const second = nextPage(first, 'c1');
    const third = nextPage(second, 'c2');
    expect(portalUrl(third)).toBe('/directory?q=led&region=Kauno+apskritis&p=c1.c2');
    expect(portalUrl(previousPage(third)!)).toBe('/directory?q=led&region=Kauno+apskritis&p=c1');
    expect(portalUrl(previousPage(second)!)).toBe('/directory?q=led&region=Kauno+apskritis');
    expect(parseDirectorySearch(Object.fromEntries(new URL(`http://x${portalUrl(third)}`).searchParams))).toEqual(
      third,
    );
  });

  it('keeps at most MAX_TRAIL cursors', () => {
    let search = parseDirectorySearch({});
    for (let i = 0; i < MAX_TRAIL + 5; i++) search = nextPage(search, `c${i}`);
    expect(search.trail).toHaveLength(MAX_TRAIL);
    expect(search.trail[MAX_TRAIL - 1]).toBe(`c${MAX_TRAIL + 4}`);
  });

  it('removes one filter value, the year or the words, starting again from the first page', () => {
    const search = nextPage(
      parseDirectorySearch({ q: 'led', sort: 'relevance', sizeClass: ['micro', 'small'], since: '2020' }),
      'c1',
    );
    expect(portalUrl(without(search, 'sizeClass', 'micro'))).toBe(
      '/directory?q=led&sizeClass=small&since=2020&sort=relevance',
    );
    expect(portalUrl(without(search, 'since'))).toBe('/directory?q=led&sizeClass=micro&sizeClass=small&sort=relevance');
    expect(portalUrl(without(search, 'q'))).toBe('/directory?sizeClass=micro&sizeClass=small&since=2020');
  });

  it('goes back from a profile to the search it was opened from, and nowhere else', () => {
    expect(searchBack('/directory?q=led&sector=C&sector=C27&p=c1')).toBe('/directory?q=led&sector=C&sector=C27&p=c1');
    expect(searchBack('/directory?q=led&focusArea=gardening')).toBe('/directory?q=led');
    expect(searchBack('https://evil.example/directory')).toBe('/directory');
    expect(searchBack(undefined)).toBe('/directory');
  });
});
