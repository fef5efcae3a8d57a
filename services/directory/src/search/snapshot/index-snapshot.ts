import { TypedFastBitSet } from 'typedfastbitset';
import { Audience } from '../../common/audience';
import { IndexDictionaries, IndexedMember } from '../indexed-member';
import { FacetCounter, FacetCounts } from './facet-counts';
import { FacetValues } from './facet-values';
import { Filters, IndexFilters } from './filters';
import { MemberOrders } from './member-orders';
import { PageRequest, Pages, SortKey } from './pages';
import { emptySlotSet, intersect, spellOut } from './slot-sets';
import { TextIndex, TextMatch, textMatch } from './text-match';

export type { FacetCount, FacetCounts } from './facet-counts';
export type { IndexFilters } from './filters';
export type { PageRequest, SortKey } from './pages';

export interface IndexQuery {
  /** Folded query words (see search-text.ts); every word must match. Empty: every listed member. */
  words: string[];
  filters: IndexFilters;
  /**
   * Who asks (default `public`): words match only where this audience sees them. The facets are
   * all of fields every audience sees (sector, region, country, focus area, type, size, year);
   * they differ by audience only through the text match they count over.
   */
  audience?: Audience;
}

export interface IndexPage {
  hits: { member: IndexedMember; key: SortKey }[];
  /** More hits follow the last one. */
  hasMore: boolean;
  /** Hits in all pages. */
  total: number;
  facets?: FacetCounts;
}

/**
 * The listed members at one moment, in arrays built for searching. What it answers never
 * changes after it is built (MemberIndex builds a new one when members change and swaps it in);
 * only its scratch space and what it keeps of earlier searches, made on first use, do. Its parts:
 *
 * - text (`text-match.ts`): postings, text matches, relevance;
 * - facet values (`facet-values.ts`): one bit set per filter value, each member's value ids in
 *   flat arrays;
 * - filters (`filters.ts`): a search's filters as bit sets;
 * - facet counts (`facet-counts.ts`, `facet-pairs.ts`): counts over the match under the other filters;
 * - orders and pages (`member-orders.ts`, `pages.ts`): the members in name, member-since and id
 *   order (ids break ties in every order), and the page after a cursor.
 *
 * A search is: the text match as a bit set (every word, as a word or a word's beginning; only
 * when that finds nothing, within one typo), AND the filters; facets counted over the match
 * under every filter but their own; the page as the best `limit + 1` after the cursor.
 */
export class IndexSnapshot {
  readonly size: number;
  /** The orders, which the next snapshot merges its changes into. */
  readonly orders: MemberOrders;
  private readonly text: TextIndex;
  private readonly filters: Filters;
  private readonly facets: FacetCounter;
  private readonly pages: Pages;
  private readonly everyone: TextMatch;
  /** The points of a search without words: none. */
  private readonly noPoints: Uint16Array;
  /** Scratch: the results, as bits and as a list of slots (so hot loops run over plain arrays). */
  private readonly resultBits: TypedFastBitSet;
  private readonly resultSlots: Int32Array;

  /**
   * `members` by slot, with holes where no member is (MemberIndex keeps a member's slot for as
   * long as it is listed). With `previous` and the slots changed since, the orders are merged
   * from the previous ones instead of sorted again.
   */
  constructor(
    private readonly members: readonly (IndexedMember | undefined)[],
    dictionaries: IndexDictionaries,
    previous?: { snapshot: IndexSnapshot; changedSlots: ReadonlySet<number> },
  ) {
    const n = members.length;
    const live: number[] = [];
    members.forEach((m, slot) => m && live.push(slot));
    this.size = live.length;
    const bitsWords = Math.ceil(n / 32) || 1;

    this.text = new TextIndex(members, live, dictionaries.words, bitsWords);
    this.everyone = textMatch(emptySlotSet(bitsWords), []);
    for (const slot of live) this.everyone.bits.add(slot);
    const values = new FacetValues(members, live, dictionaries, bitsWords);
    this.orders = new MemberOrders(
      members,
      live,
      previous && { orders: previous.snapshot.orders, changedSlots: previous.changedSlots },
    );
    this.filters = new Filters(dictionaries, values, this.orders, bitsWords);
    this.facets = new FacetCounter(dictionaries, values, this.size, n, bitsWords);
    this.pages = new Pages(members, this.orders);

    this.noPoints = new Uint16Array(n);
    this.resultSlots = new Int32Array(n);
    this.resultBits = emptySlotSet(bitsWords);
    // Sorts the vocabulary now, not in the first search.
    dictionaries.words.withPrefix('');
  }

  search(query: IndexQuery, page: PageRequest): IndexPage {
    const text = query.words.length > 0 ? this.text.match(query.words, query.audience ?? 'public') : null;
    const match = text ?? this.everyone;
    const filters = this.filters.compile(query.filters);
    const results = intersect(this.resultBits, match.bits, filters);
    const total = spellOut(results, this.resultSlots);

    const points = page.sort === 'relevance' && text ? this.text.relevance(text) : this.noPoints;
    const slots = this.pages.slots(results, this.resultSlots, total, page, points);
    return {
      hits: slots
        .slice(0, page.limit)
        .map((slot) => ({ member: this.members[slot]!, key: this.pages.key(page.sort, slot, points) })),
      hasMore: slots.length > page.limit,
      total,
      ...(page.facets ? { facets: this.facets.count(match, results, this.resultSlots, total, filters) } : {}),
    };
  }
}
