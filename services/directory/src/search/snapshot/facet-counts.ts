import { TypedFastBitSet } from 'typedfastbitset';
import { FacetName, FacetNames, IndexDictionaries } from '../indexed-member';
import { FacetPairs } from './facet-pairs';
import { FacetValues } from './facet-values';
import { Filter } from './filters';
import { compareText } from './member-orders';
import { emptySlotSet, intersect, spellOut } from './slot-sets';
import { matchSize, TextMatch } from './text-match';

export interface FacetCount {
  value: string;
  count: number;
}

/** Per facet, its values and counts, most first; shared between answers (kept with the text match), never changed. */
export type FacetCounts = Record<FacetName, FacetCount[]>;

/**
 * Facet counts of a search: a facet without a filter counts the results; a facet with one counts
 * the text match under every other filter (how many more a portal gets by widening that one
 * filter). Under no filter, the counts are kept with the text match; under one filter on another
 * facet (a choice of values), they come from the two facets' joint counts once those pay (see
 * countUnder); under more, member by member.
 */
export class FacetCounter {
  /** Scratch counts per facet, by value id. */
  private readonly tallies: Int32Array[];
  /** Scratch: the members a filtered facet counts, as bits and spelled out. */
  private readonly baseBits: TypedFastBitSet;
  private readonly baseSlots: Int32Array;

  /** `size` members in `slots` slots, sets of `bitsWords` words. */
  constructor(
    private readonly dictionaries: IndexDictionaries,
    private readonly values: FacetValues,
    private readonly size: number,
    slots: number,
    private readonly bitsWords: number,
  ) {
    this.tallies = dictionaries.values.map((d) => new Int32Array(d.values.length));
    this.baseBits = emptySlotSet(bitsWords);
    this.baseSlots = new Int32Array(slots);
  }

  /**
   * Every facet's counts for a search: `match` is its text match (or everyone), `results` the
   * match under all `filters`, `resultSlots` the results spelled out (`total` of them).
   */
  count(
    match: TextMatch,
    results: TypedFastBitSet,
    resultSlots: Int32Array,
    total: number,
    filters: Filter[],
  ): FacetCounts {
    const facets = {} as FacetCounts;
    FacetNames.forEach((name, f) => {
      const own = filters.find((filter) => filter.facet === f);
      const others = own ? filters.filter((filter) => filter !== own) : filters;
      // Without its own filter, a facet counts the results: the match under the other filters.
      const underOthers = (): FacetCount[] => {
        if (!own) return this.counted(f, results, total, resultSlots);
        const base = intersect(this.baseBits, match.bits, others);
        return this.counted(f, base, base.size(), null);
      };
      if (others.length === 0) {
        facets[name] = match.counts[f] ??= this.counted(f, match.bits, matchSize(match), null);
      } else if (others.length === 1 && this.isChoice(others[0])) {
        facets[name] = this.countUnder(match, f, others[0], underOthers);
      } else {
        facets[name] = underOthers();
      }
    });
    return facets;
  }

  /** Whether the filter is a choice of values whose columns of joint counts add up exactly. */
  private isChoice(filter: Filter): filter is Filter & { valueIds: number[] } {
    return !!filter.valueIds && (filter.valueIds.length <= 1 || !!this.values.singleValue[filter.facet]);
  }

  /**
   * A facet's counts over the match under one filter on another facet: member by member
   * (`direct`) until the counts made so add up to the members in the match, about what counting
   * the two facets' joint counts once costs; from then on from those, a sum per value. A pair
   * asked rarely costs at most about twice what it did, one asked often next to nothing.
   */
  private countUnder(
    match: TextMatch,
    facet: number,
    filter: Filter & { valueIds: number[] },
    direct: () => FacetCount[],
  ): FacetCount[] {
    const key = facet * FacetNames.length + filter.facet;
    let pairs = match.pairs.get(key);
    if (!pairs) {
      const spent = match.pairWork.get(key) ?? 0;
      if (spent < matchSize(match)) {
        const counts = direct();
        match.pairWork.set(key, spent + counts.reduce((sum, c) => sum + c.count, 0));
        return counts;
      }
      const count = spellOut(match.bits, this.baseSlots);
      const { countedBySlot, allBySlot, valueCounts } = this.values;
      pairs = FacetPairs.count(
        this.baseSlots,
        count,
        countedBySlot[facet],
        valueCounts[facet],
        allBySlot[filter.facet],
        valueCounts[filter.facet],
      );
      match.pairs.set(key, pairs);
      match.pairWork.delete(key);
    }
    pairs.rowCounts(this.values.countedValues[facet], filter.valueIds, this.tallies[facet]);
    return this.listed(facet);
  }

  /** One facet's counts over `members` (see tally), as an answer lists them. */
  private counted(facet: number, members: TypedFastBitSet, size: number, spelledOut: Int32Array | null): FacetCount[] {
    this.tally(facet, members, size, spelledOut);
    return this.listed(facet);
  }

  /**
   * One facet's counts over `members` (`size` of them) into its tally: member by member, or
   * value by value as the size of (members AND value's members), whichever touches fewer
   * numbers. A large set and a facet of few values (size class: 4) go by value; a small set or
   * many values (sectors) member by member.
   */
  private tally(facet: number, members: TypedFastBitSet, size: number, spelledOut: Int32Array | null): void {
    const tally = this.tallies[facet];
    const counted = this.values.countedValues[facet];
    for (let i = 0; i < counted.length; i++) tally[counted[i]] = 0;
    const { start, ids } = this.values.countedBySlot[facet];
    const byMember = size * (1 + ids.length / Math.max(1, this.size));
    const byValue = (counted.length * this.bitsWords) / 2;
    if (byValue < byMember) {
      const bits = this.values.bits[facet];
      for (let i = 0; i < counted.length; i++) tally[counted[i]] = members.intersection_size(bits[counted[i]]);
      return;
    }
    const slots = spelledOut ?? this.baseSlots;
    if (!spelledOut) spellOut(members, slots);
    const single = this.values.singleValue[facet];
    if (single) {
      for (let i = 0; i < size; i++) tally[single[slots[i]]]++;
      return;
    }
    for (let i = 0; i < size; i++) {
      const slot = slots[i];
      for (let k = start[slot]; k < start[slot + 1]; k++) tally[ids[k]]++;
    }
  }

  /** The facet's tally as an answer lists it: values counted at least once, most first. */
  private listed(facet: number): FacetCount[] {
    const values = this.dictionaries.values[facet].values;
    const [tally, counted] = [this.tallies[facet], this.values.countedValues[facet]];
    const list: FacetCount[] = [];
    for (let i = 0; i < counted.length; i++) {
      const id = counted[i];
      if (tally[id] > 0) list.push({ value: values[id], count: tally[id] });
    }
    return list.sort((a, b) => b.count - a.count || compareText(a.value, b.value));
  }
}
