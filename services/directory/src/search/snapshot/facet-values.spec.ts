import { indexed, listedEntry } from '../../../test/indexed-members';
import { FacetNames } from '../indexed-member';
import { FacetValues, isCounted, SECTOR } from './facet-values';

describe('facet values', () => {
  const entries = [
    listedEntry({
      region: 'Kauno apskritis',
      sectorCodes: ['C26.11'],
      focusAreas: ['cooperation', 'common_marketing'],
    }),
    undefined,
    listedEntry({ region: 'Vilniaus apskritis', sectorCodes: ['C26.11', 'M72'], focusAreas: ['cooperation'] }),
  ];
  const { members, live, dictionaries, bitsWords } = indexed(entries);
  const values = new FacetValues(members, live, dictionaries, bitsWords);
  const f = (name: (typeof FacetNames)[number]) => FacetNames.indexOf(name);
  const id = (name: (typeof FacetNames)[number], value: string) => dictionaries.values[f(name)].find(value)!;
  const slotValues = (all: { start: Int32Array; ids: Int32Array }, facet: string, slot: number) =>
    Array.from(all.ids.subarray(all.start[slot], all.start[slot + 1])).map(
      (v) => dictionaries.values[f(facet as (typeof FacetNames)[number])].values[v],
    );

  it('has one set of members per value', () => {
    expect(values.bits[f('region')][id('region', 'Kauno apskritis')].array()).toEqual([0]);
    expect(values.bits[f('region')][id('region', 'Vilniaus apskritis')].array()).toEqual([2]);
    expect(values.bits[f('sector')][id('sector', 'C26')].array()).toEqual([0, 2]);
    expect(values.bits[f('sector')][id('sector', 'M')].array()).toEqual([2]);
    expect(values.bits[f('focusArea')][id('focusArea', 'cooperation')].array()).toEqual([0, 2]);
  });

  it('lists each slot’s values: of sectors every level to filter by, sections and divisions to count', () => {
    expect(slotValues(values.allBySlot[SECTOR], 'sector', 2)).toEqual(['C', 'C26', 'C26.1', 'C26.11', 'M', 'M72']);
    expect(slotValues(values.countedBySlot[SECTOR], 'sector', 2)).toEqual(['C', 'C26', 'M', 'M72']);
    expect(slotValues(values.countedBySlot[SECTOR], 'sector', 1)).toEqual([]); // the hole
    expect(values.countedBySlot[f('region')]).toBe(values.allBySlot[f('region')]);
    const counted = Array.from(values.countedValues[SECTOR]).map((v) => dictionaries.values[SECTOR].values[v]);
    expect(counted.sort()).toEqual(['C', 'C26', 'M', 'M72']);
    expect(isCounted(SECTOR, 'C26.1')).toBe(false);
    expect(isCounted(f('region'), 'Vilniaus apskritis')).toBe(true);
  });

  it('keeps the one value by slot of facets where every member has one', () => {
    expect(values.singleValue[f('region')]?.[2]).toBe(id('region', 'Vilniaus apskritis'));
    expect(values.singleValue[f('memberSinceYear')]).not.toBeNull();
    expect(values.singleValue[SECTOR]).toBeNull();
    expect(values.singleValue[f('focusArea')]).toBeNull();
    expect(values.valueCounts[f('region')]).toBe(2);
  });
});
