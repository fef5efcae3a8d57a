import { LRUCache } from 'lru-cache';
import { TypedFastBitSet } from 'typedfastbitset';
import { FacetName, FacetNames, IndexDictionaries } from '../indexed-member';
import { FacetValues, MEMBER_SINCE_YEAR } from './facet-values';
import { MemberOrders } from './member-orders';
import { cached, emptySlotSet } from './slot-sets';

export interface IndexFilters {
  sector?: string[];
  region?: string[];
  country?: string[];
  focusArea?: string[];
  organisationType?: string[];
  sizeClass?: string[];
  /** YYYY-MM-DD, inclusive. */
  memberSinceFrom?: string;
  memberSinceTo?: string;
}

/** The members a filter lets through, and the facet it filters. */
export interface Filter {
  facet: number;
  bits: TypedFastBitSet;
  /** The facet's value ids it lets through; null when it is no choice of values (a range cutting a year). */
  valueIds: number[] | null;
}

/**
 * A search's filters as sets of members: a choice of values is the union of their bit sets (one
 * value: its own set), the member-since range whole years' sets and the days of a cut year by
 * rank in member-since order. Multi-value and range filters are kept (bounded): portals ask the
 * same filters in ever new combinations. Every set it gives out is read-only.
 */
export class Filters {
  private readonly sets = new LRUCache<string, TypedFastBitSet>({ max: 256 });

  constructor(
    private readonly dictionaries: IndexDictionaries,
    private readonly values: FacetValues,
    private readonly orders: MemberOrders,
    private readonly bitsWords: number,
  ) {}

  /** The members each filter lets through, in facet order (the date range last). */
  compile(filters: IndexFilters): Filter[] {
    const compiled: Filter[] = [];
    const valueBits = this.values.bits;
    const anyOf = (name: FacetName, wanted: string[] | undefined) => {
      if (!wanted?.length) return;
      const f = FacetNames.indexOf(name);
      const valueIds = [...new Set(wanted.flatMap((value) => this.dictionaries.values[f].find(value) ?? []))];
      if (valueIds.length === 1) {
        compiled.push({ facet: f, bits: valueBits[f][valueIds[0]], valueIds });
        return;
      }
      const bits = cached(this.sets, `${f}:${wanted.join('\u0000')}`, () => {
        const union = emptySlotSet(this.bitsWords);
        for (const id of valueIds) union.union(valueBits[f][id]);
        return union;
      });
      compiled.push({ facet: f, bits, valueIds });
    };
    anyOf('sector', filters.sector);
    anyOf('region', filters.region);
    anyOf(
      'country',
      filters.country?.map((c) => c.toUpperCase()),
    );
    anyOf('focusArea', filters.focusArea);
    anyOf('organisationType', filters.organisationType);
    anyOf('sizeClass', filters.sizeClass);
    const { memberSinceFrom: from = '0000-01-01', memberSinceTo: to = '9999-12-31' } = filters;
    if (filters.memberSinceFrom !== undefined || filters.memberSinceTo !== undefined) {
      const bits = cached(this.sets, `since:${from}:${to}`, () => this.sinceRange(from, to));
      const years = this.dictionaries.values[MEMBER_SINCE_YEAR].values.slice(
        0,
        this.values.valueCounts[MEMBER_SINCE_YEAR],
      );
      const cut = years.some((year) => inside(from, `${year}-01-01`, to) !== inside(from, `${year}-12-31`, to));
      const valueIds = years.flatMap((year, id) => (inside(from, `${year}-01-01`, to) ? [id] : []));
      compiled.push({ facet: MEMBER_SINCE_YEAR, bits, valueIds: cut ? null : valueIds });
    }
    return compiled;
  }

  /**
   * Members since `from` to `to` (days, inclusive): whole years inside the range are their
   * year's bit set; a year the range cuts, the ranks of its days in the range in member-since order.
   */
  private sinceRange(from: string, to: string): TypedFastBitSet {
    const bits = emptySlotSet(this.bitsWords);
    const { orders } = this;
    this.dictionaries.values[MEMBER_SINCE_YEAR].values.forEach((year, id) => {
      const [first, last] = [`${year}-01-01`, `${year}-12-31`];
      if (last < from || first > to) return;
      if (from <= first && last <= to) {
        bits.union(this.values.bits[MEMBER_SINCE_YEAR][id]);
        return;
      }
      const end = orders.sinceBound(last < to ? last : to, '\uffff');
      for (let rank = orders.sinceBound(first > from ? first : from, ''); rank < end; rank++) {
        bits.add(orders.since[rank]);
      }
    });
    return bits;
  }
}

/** Whether the day is in [from, to] (YYYY-MM-DD). */
function inside(from: string, day: string, to: string): boolean {
  return from <= day && day <= to;
}
