import { parseDirectorySearch } from './directory-search';
import { activeFilters, facetViews, Labels, sectorLabel } from './directory-view';

const labels: Labels = {
  focusArea: (key) => `area:${key}`,
  organisationType: (key) => `type:${key}`,
  sizeClass: (key) => `size:${key}`,
  facet: (name) => `facet:${name}`,
};

const facets = {
  sector: [
    { value: 'M', count: 3 },
    { value: 'C27', count: 1 },
    { value: 'C', count: 2 },
    { value: 'M72', count: 2 },
  ],
  region: [{ value: 'Šiaulių apskritis', count: 5 }],
  country: [{ value: 'LT', count: 5 }],
  focusArea: [{ value: 'cooperation', count: 4 }],
  organisationType: [{ value: 'business', count: 5 }],
  sizeClass: [
    { value: 'micro', count: 2 },
    { value: 'small', count: 2 },
  ],
  memberSinceYear: [
    { value: '2021', count: 1 },
    { value: '2020', count: 5 },
  ],
};

describe('the filter panel', () => {
  it('lists every facet with its counts, sectors by code with the divisions of a chosen section under it, years in order', () => {
    const views = facetViews({ facets }, parseDirectorySearch({ sector: 'M72' }), 'en', labels);
    expect(views.map((v) => v.name)).toEqual([
      'sector',
      'region',
      'country',
      'focusArea',
      'organisationType',
      'sizeClass',
      'since',
    ]);
    const sector = views[0];
    expect(sector.options.map((o) => [o.value, o.count, o.checked, o.nested])).toEqual([
      ['C', 2, false, false],
      ['M', 3, false, false],
      ['M72', 2, true, true],
    ]);
    expect(sector.options[2].id).toBe('f-sector-M72');
    const drilled = facetViews({ facets }, parseDirectorySearch({ sector: 'C' }), 'en', labels)[0];
    expect(drilled.options.map((o) => o.value)).toEqual(['C', 'C27', 'M']);
    expect(drilled.options[1].label).toBe('C27 Manufacture of electrical equipment');
    expect(views[2].options[0].label).toBe('Lithuania');
    expect(views[3].options[0].label).toBe('area:cooperation');
    expect(views[6]).toMatchObject({ type: 'radio', options: [{ value: '2020' }, { value: '2021' }] });
  });

  it('shows a chosen value the search leaves none of, with 0, still checked', () => {
    const views = facetViews({ facets }, parseDirectorySearch({ sizeClass: 'large', since: '2019' }), 'lt', labels);
    const size = views.find((v) => v.name === 'sizeClass')!;
    expect(size.options.find((o) => o.value === 'large')).toMatchObject({ count: 0, countText: '0', checked: true });
    expect(views.find((v) => v.name === 'since')!.options.find((o) => o.value === '2019')!.checked).toBe(true);
  });

  it('formats counts in the reader’s language', () => {
    const views = facetViews(
      { facets: { ...facets, region: [{ value: 'Kauno apskritis', count: 12345 }] } },
      parseDirectorySearch({}),
      'en',
      labels,
    );
    expect(views[1].options[0].countText).toBe('12,345');
  });

  it('lists the chosen filters as links that remove each', () => {
    const search = parseDirectorySearch({ q: 'led', sector: 'C27', sizeClass: ['micro', 'small'], since: '2020' });
    expect(activeFilters(search, 'en', labels)).toEqual([
      {
        label: 'facet:sector: C27 Manufacture of electrical equipment',
        removeHref: '/directory?q=led&sizeClass=micro&sizeClass=small&since=2020',
      },
      { label: 'facet:sizeClass: size:micro', removeHref: '/directory?q=led&sector=C27&sizeClass=small&since=2020' },
      { label: 'facet:sizeClass: size:small', removeHref: '/directory?q=led&sector=C27&sizeClass=micro&since=2020' },
      { label: 'facet:since: 2020', removeHref: '/directory?q=led&sector=C27&sizeClass=micro&sizeClass=small' },
    ]);
    expect(sectorLabel('X9')).toBe('X9');
  });
});
