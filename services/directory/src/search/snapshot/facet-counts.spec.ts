import { indexed, listedEntry } from '../../../test/indexed-members';
import { FacetCounter } from './facet-counts';
import { FacetValues } from './facet-values';
import { Filters, IndexFilters } from './filters';
import { MemberOrders } from './member-orders';
import { emptySlotSet, intersect, spellOut } from './slot-sets';
import { textMatch } from './text-match';

describe('facet counts', () => {
  const entries = [
    listedEntry({ region: 'Kauno apskritis', sizeClass: 'small', sectorCodes: ['C26.11', 'C27.4'] }),
    listedEntry({ region: 'Kauno apskritis', sizeClass: 'micro', sectorCodes: ['C26.11'] }),
    undefined,
    listedEntry({ region: 'Vilniaus apskritis', sizeClass: 'small', sectorCodes: ['M72.1'] }),
    listedEntry({ region: 'Alytaus apskritis', sizeClass: 'large', sectorCodes: ['C28.4'], memberSince: '2020-04-27' }),
  ];
  const { members, live, dictionaries, bitsWords } = indexed(entries);
  const values = new FacetValues(members, live, dictionaries, bitsWords);
  const filters = new Filters(dictionaries, values, new MemberOrders(members, live), bitsWords);
  // One match for every search (no words: everyone), as a snapshot keeps it: counts are kept with it.
  const everyone = textMatch(emptySlotSet(bitsWords), []);
  for (const slot of live) everyone.bits.add(slot);

  /** The facets of a search without words under `asked` filters, through a fresh counter each time. */
  function facets(
    asked: IndexFilters,
    counter = new FacetCounter(dictionaries, values, live.length, members.length, bitsWords),
  ) {
    const compiled = filters.compile(asked);
    const results = intersect(emptySlotSet(bitsWords), everyone.bits, compiled);
    const slots = new Int32Array(members.length);
    const total = spellOut(results, slots);
    return counter.count(everyone, results, slots, total, compiled);
  }

  it('counts every facet over all members, most first, ties by value; sectors as sections and divisions', () => {
    const all = facets({});
    expect(all.region).toEqual([
      { value: 'Kauno apskritis', count: 2 },
      { value: 'Alytaus apskritis', count: 1 },
      { value: 'Vilniaus apskritis', count: 1 },
    ]);
    expect(all.sector).toEqual([
      { value: 'C', count: 3 },
      { value: 'C26', count: 2 },
      { value: 'C27', count: 1 },
      { value: 'C28', count: 1 },
      { value: 'M', count: 1 },
      { value: 'M72', count: 1 },
    ]);
    expect(all.memberSinceYear).toEqual([
      { value: '2022', count: 3 },
      { value: '2020', count: 1 },
    ]);
  });

  it('counts a filtered facet under the other filters only, and the others under all of them', () => {
    const counts = facets({ region: ['Kauno apskritis'], sizeClass: ['small'] });
    // region: under sizeClass=small only (how many more by widening the region).
    expect(counts.region).toEqual([
      { value: 'Kauno apskritis', count: 1 },
      { value: 'Vilniaus apskritis', count: 1 },
    ]);
    // sizeClass: under region=Kauno only.
    expect(counts.sizeClass).toEqual([
      { value: 'micro', count: 1 },
      { value: 'small', count: 1 },
    ]);
    // Unfiltered facets: the results (Kaunas and small: the first member).
    expect(counts.sector).toEqual([
      { value: 'C', count: 1 },
      { value: 'C26', count: 1 },
      { value: 'C27', count: 1 },
    ]);
  });

  it('gives the same counts under one other filter when asked again and again (then from joint counts)', () => {
    const counter = new FacetCounter(dictionaries, values, live.length, members.length, bitsWords);
    const first = facets({ sector: ['C'] }, counter);
    expect(first.sizeClass).toEqual([
      { value: 'large', count: 1 },
      { value: 'micro', count: 1 },
      { value: 'small', count: 1 },
    ]);
    expect(first.sector).toEqual(facets({}).sector);
    for (let i = 0; i < 5; i++) expect(facets({ sector: ['C'] }, counter)).toEqual(first);
    // By now the size classes under a sector come from the joint counts of the two facets.
    expect(everyone.pairs.size).toBeGreaterThan(0);
    const micro = facets({ sizeClass: ['micro'] }, counter);
    expect(micro.region).toEqual([{ value: 'Kauno apskritis', count: 1 }]);
    for (let i = 0; i < 5; i++) expect(facets({ sizeClass: ['micro'] }, counter)).toEqual(micro);
  });
});
