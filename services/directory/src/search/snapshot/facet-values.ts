import { TypedFastBitSet } from 'typedfastbitset';
import { FacetNames, IndexDictionaries, IndexedMember } from '../indexed-member';
import { SlotValues, SlotValuesBuilder } from './facet-pairs';
import { emptySlotSet } from './slot-sets';

export const SECTOR = FacetNames.indexOf('sector');
export const MEMBER_SINCE_YEAR = FacetNames.indexOf('memberSinceYear');

/** Whether a facet counts this value: of sectors only sections and divisions (`C`, `C26`), of the others every value. */
export function isCounted(facet: number, value: string): boolean {
  return facet !== SECTOR || value.length <= 3;
}

/**
 * The facet values of a snapshot's members, laid out for filtering and counting: one bit set per
 * value (its members), and per facet each slot's value ids in flat arrays, both those a filter can
 * choose (of sectors, every NACE level) and those the facet counts (sections and divisions).
 */
export class FacetValues {
  /** Per facet, per value id, the members that have it. */
  readonly bits: TypedFastBitSet[][];
  /** Per facet, each slot's values filters can choose (of sectors, every level). */
  readonly allBySlot: SlotValues[];
  /** Per facet, each slot's values the facet counts (of sectors, sections and divisions). */
  readonly countedBySlot: SlotValues[];
  /** For a facet where every member has exactly one value (region, size class, ...): that value's id by slot. */
  readonly singleValue: (Int32Array | null)[];
  /** Per facet, the value ids it counts (of sectors, only sections and divisions). */
  readonly countedValues: Int32Array[];
  /** Values per facet when the snapshot was built (the dictionaries grow for the next ones). */
  readonly valueCounts: number[];

  /** `members` by slot (holes where none is), `live` the slots that hold one, sets of `bitsWords` words. */
  constructor(
    members: readonly (IndexedMember | undefined)[],
    live: number[],
    dictionaries: IndexDictionaries,
    bitsWords: number,
  ) {
    const n = members.length;
    this.valueCounts = dictionaries.values.map((d) => d.values.length);
    this.bits = FacetNames.map((_, f) => dictionaries.values[f].values.map(() => emptySlotSet(bitsWords)));
    this.allBySlot = [];
    this.countedBySlot = FacetNames.map((_, f) => {
      const values = dictionaries.values[f].values;
      const bits = this.bits[f];
      const all = new SlotValuesBuilder(n);
      const counted = f === SECTOR ? new SlotValuesBuilder(n) : all;
      for (let slot = 0; slot < n; slot++) {
        all.startSlot(slot);
        counted.startSlot(slot);
        const m = members[slot];
        if (!m) continue;
        for (let k = m.valueStart[f]; k < m.valueStart[f + 1]; k++) {
          const id = m.valueIds[k];
          bits[id].add(slot);
          all.add(id);
          if (counted !== all && isCounted(f, values[id])) counted.add(id);
        }
      }
      this.allBySlot[f] = all.build();
      return counted === all ? this.allBySlot[f] : counted.build();
    });
    this.singleValue = this.countedBySlot.map(({ start, ids }) => {
      if (!live.every((slot) => start[slot + 1] - start[slot] === 1)) return null;
      const single = new Int32Array(n);
      for (const slot of live) single[slot] = ids[start[slot]];
      return single;
    });
    this.countedValues = dictionaries.values.map((d, f) => {
      const counted = d.values.flatMap((value, id) => (isCounted(f, value) ? [id] : []));
      return Int32Array.from(counted);
    });
  }
}
