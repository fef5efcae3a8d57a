import { indexed, listedEntry } from '../../../test/indexed-members';
import { FacetNames } from '../indexed-member';
import { FacetValues, MEMBER_SINCE_YEAR } from './facet-values';
import { Filters } from './filters';
import { MemberOrders } from './member-orders';

describe('filters', () => {
  const entries = [
    listedEntry({ region: 'Kauno apskritis', country: 'LT', sectorCodes: ['C26.11'], memberSince: '2020-04-27' }),
    listedEntry({ region: 'Vilniaus apskritis', country: 'LT', sectorCodes: ['M72.1'], memberSince: '2021-02-01' }),
    undefined,
    listedEntry({ region: 'Rīga', country: 'LV', sectorCodes: ['C28.4'], memberSince: '2021-09-15' }),
    listedEntry({ region: 'Kauno apskritis', country: 'LT', sectorCodes: ['N82.9'], memberSince: '2023-01-01' }),
  ];
  const { members, live, dictionaries, bitsWords } = indexed(entries);
  const values = new FacetValues(members, live, dictionaries, bitsWords);
  const filters = new Filters(dictionaries, values, new MemberOrders(members, live), bitsWords);
  const year = (y: string) => dictionaries.values[MEMBER_SINCE_YEAR].find(y)!;

  it('lets through the members with any of a filter’s values, each filter on its facet', () => {
    const [region] = filters.compile({ region: ['Kauno apskritis', 'Rīga'] });
    expect(region.facet).toBe(FacetNames.indexOf('region'));
    expect(region.bits.array()).toEqual([0, 3, 4]);
    expect(region.valueIds).toHaveLength(2);
    expect(filters.compile({ sector: ['C'] })[0].bits.array()).toEqual([0, 3]);
    expect(filters.compile({ sector: ['C26', 'M'] })[0].bits.array()).toEqual([0, 1]);
    expect(filters.compile({ country: ['lv'] })[0].bits.array()).toEqual([3]);
  });

  it('lets nothing through for a value no member has, and gives no filter for none asked', () => {
    const [unknown] = filters.compile({ region: ['Nowhere'] });
    expect(unknown.bits.array()).toEqual([]);
    expect(unknown.valueIds).toEqual([]);
    expect(filters.compile({})).toEqual([]);
    expect(filters.compile({ region: [] })).toEqual([]);
  });

  it('keeps a multi-value filter’s set for the next search, and never changes a value’s own set', () => {
    const [first] = filters.compile({ region: ['Kauno apskritis', 'Rīga'] });
    expect(filters.compile({ region: ['Kauno apskritis', 'Rīga'] })[0].bits).toBe(first.bits);
    const [single] = filters.compile({ region: ['Rīga'] });
    expect(single.bits).toBe(values.bits[FacetNames.indexOf('region')][single.valueIds![0]]);
  });

  it('filters the member-since range by day, a choice of years only when it cuts none', () => {
    const [cut] = filters.compile({ memberSinceFrom: '2021-03-01', memberSinceTo: '2023-12-31' });
    expect(cut.facet).toBe(MEMBER_SINCE_YEAR);
    expect(cut.bits.array()).toEqual([3, 4]);
    expect(cut.valueIds).toBeNull();
    const [whole] = filters.compile({ memberSinceFrom: '2021-01-01', memberSinceTo: '2021-12-31' });
    expect(whole.bits.array()).toEqual([1, 3]);
    expect(whole.valueIds).toEqual([year('2021')]);
    expect(filters.compile({ memberSinceTo: '2020-04-27' })[0].bits.array()).toEqual([0]);
    expect(filters.compile({ memberSinceFrom: '2020-04-28', memberSinceTo: '2021-02-01' })[0].bits.array()).toEqual([
      1,
    ]);
  });

  it('puts the filters in facet order, the range last', () => {
    const compiled = filters.compile({ memberSinceFrom: '2020-01-01', sizeClass: ['small'], sector: ['C'] });
    expect(compiled.map((c) => FacetNames[c.facet])).toEqual(['sector', 'sizeClass', 'memberSinceYear']);
  });
});
