import { LRUCache } from 'lru-cache';
import { TypedFastBitSet } from 'typedfastbitset';
import { SortOrder } from '../members/dto/list-members.query';
import { FacetPairs, SlotValues, SlotValuesBuilder } from './facet-pairs';
import { FacetName, FacetNames, IndexDictionaries, IndexedMember, TextField } from './indexed-member';

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

export interface IndexQuery {
  /** Folded query words (see search-text.ts); every word must match. Empty: every listed member. */
  words: string[];
  filters: IndexFilters;
}

/** A hit's place in its order: [relevance points, name or member-since day; then the id]. */
export type SortKey = [string | number, string];

export interface PageRequest {
  sort: SortOrder;
  /** Only hits after this key (keyset pagination). */
  after: SortKey | null;
  limit: number;
  facets: boolean;
}

export interface FacetCount {
  value: string;
  count: number;
}

/** Per facet, its values and counts, most first; shared between answers (kept with the text match), never changed. */
export type FacetCounts = Record<FacetName, FacetCount[]>;

export interface IndexPage {
  hits: { member: IndexedMember; key: SortKey }[];
  /** More hits follow the last one. */
  hasMore: boolean;
  /** Hits in all pages. */
  total: number;
  facets?: FacetCounts;
}

/**
 * Relevance points of one query word in one member: where it matched (name over statement over
 * description) times how (the whole word over a word's beginning over a typo). Integers, so that
 * keyset cursors on relevance compare exactly.
 */
const fieldPoints = (fields: number) => (fields & TextField.name ? 100 : fields & TextField.statement ? 40 : 20);
const MATCH = { word: 10, prefix: 7, typo: 5 } as const;

/** What one query word stands for: indexed words, each with its match points. */
interface Expansion {
  wordIds: number[];
  points: number[];
}

/**
 * The members that match a query's words (or everyone, without words), what each word stood
 * for, and what searches with these words counted over them, kept for the next ones.
 */
interface TextMatch {
  bits: TypedFastBitSet;
  expansions: Expansion[];
  /** Relevance points of every matched member, by slot (at most 8 words × 1,000 points). */
  points?: Uint16Array;
  /** How many members match (counted on first use). */
  size?: number;
  /** Per facet, its counts over the match. */
  counts: (FacetCount[] | undefined)[];
  /** Joint counts of two facets over the match, by `facet * FacetNames.length + other facet`. */
  pairs: Map<number, FacetPairs>;
  /** Per pair without joint counts yet: the counts made member by member for it so far. */
  pairWork: Map<number, number>;
}

/** The members a filter lets through, and the facet it filters. */
interface Filter {
  facet: number;
  bits: TypedFastBitSet;
  /** The facet's value ids it lets through; null when it is no choice of values (a range cutting a year). */
  valueIds: number[] | null;
}

const SECTOR = FacetNames.indexOf('sector');
const MEMBER_SINCE_YEAR = FacetNames.indexOf('memberSinceYear');

/**
 * The listed members at one moment, in arrays built for searching. What it answers never
 * changes after it is built (MemberIndex builds a new one when members change and swaps it in);
 * only its scratch space and the bit sets of frequent words, made on first use, do.
 *
 * - postings: for every word id, the member slots that use it and in which fields;
 * - one bit set per filter value (and per frequent word), so that text matches and filters
 *   combine as word-wise ANDs;
 * - per facet, each member's value ids in flat arrays, for counting;
 * - the members in name, member-since and id order (ids break ties in every order).
 *
 * A search is: the text match as a bit set (every word, as a word or a word's beginning; only
 * when that finds nothing, within one typo), AND the filters; facets counted over the match
 * under every filter but their own; the page as the best `limit + 1` after the cursor.
 */
export class IndexSnapshot {
  readonly size: number;
  private readonly postingStart: Int32Array;
  private readonly postingSlots: Int32Array;
  private readonly postingFields: Uint8Array;
  private readonly wordBits = new Map<number, TypedFastBitSet>();
  /** Per facet, each slot's values the facet counts (of sectors, sections and divisions). */
  private readonly countedBySlot: SlotValues[];
  /** Per facet, each slot's values filters can choose (of sectors, every level). */
  private readonly allBySlot: SlotValues[];
  /** For a facet where every member has exactly one value (region, size class, ...): that value's id by slot. */
  private readonly singleValue: (Int32Array | null)[];
  private readonly valueBits: TypedFastBitSet[][];
  /** Per facet, the value ids it counts (of sectors, only sections and divisions). */
  private readonly countedValues: Int32Array[];
  private readonly everyone: TextMatch;
  /** Values per facet when the snapshot was built (the dictionaries grow for the next ones). */
  private readonly valueCounts: number[];
  readonly nameOrder: Int32Array;
  private readonly nameRank: Int32Array;
  readonly sinceOrder: Int32Array;
  private readonly sinceRank: Int32Array;
  readonly idOrder: Int32Array;
  private readonly idRank: Int32Array;
  // Scratch space of relevance scoring, one number per slot, reused by every search.
  private readonly best: Int32Array;
  private readonly seen: Int32Array;
  private mark = 0;
  /** The points of a search without words: none. */
  private readonly noPoints: Uint16Array;
  /** Scratch lists of slots (a bit set spelled out), so hot loops run over plain arrays. */
  private readonly resultSlots: Int32Array;
  private readonly baseSlots: Int32Array;
  /** Scratch bit sets: the results, and the members a filtered facet counts. */
  private readonly resultBits: TypedFastBitSet;
  private readonly baseBits: TypedFastBitSet;
  /** Scratch counts per facet, by value id. */
  private readonly tallies: Int32Array[];
  /**
   * Text matches and filters this snapshot has computed, by their words or values: portals ask
   * the same words and filters in ever new combinations. Bounded; both are read-only once made.
   */
  private readonly textMatches = new LRUCache<string, TextMatch>({ max: 128 });
  private readonly filterSets = new LRUCache<string, TypedFastBitSet>({ max: 256 });

  /**
   * `members` by slot, with holes where no member is (MemberIndex keeps a member's slot for as
   * long as it is listed). With `previous` and the slots changed since, the orders are merged
   * from the previous ones instead of sorted again.
   */
  constructor(
    private readonly members: readonly (IndexedMember | undefined)[],
    private readonly dictionaries: IndexDictionaries,
    previous?: { snapshot: IndexSnapshot; changedSlots: ReadonlySet<number> },
  ) {
    const n = members.length;
    const live: number[] = [];
    members.forEach((m, slot) => m && live.push(slot));
    this.size = live.length;

    // Postings, grouped by word id in one pass to count and one to fill (slots ascending).
    const wordCount = dictionaries.words.size;
    const postingStart = (this.postingStart = new Int32Array(wordCount + 1));
    for (const slot of live) for (const id of members[slot]!.wordIds) postingStart[id + 1]++;
    for (let w = 0; w < wordCount; w++) postingStart[w + 1] += postingStart[w];
    this.postingSlots = new Int32Array(postingStart[wordCount]);
    this.postingFields = new Uint8Array(postingStart[wordCount]);
    const fill = postingStart.slice(0, wordCount);
    for (const slot of live) {
      const { wordIds, wordFields } = members[slot]!;
      for (let j = 0; j < wordIds.length; j++) {
        const at = fill[wordIds[j]]++;
        this.postingSlots[at] = slot;
        this.postingFields[at] = wordFields[j];
      }
    }

    // Facet values per slot (sectors: only sections and divisions are counted) and value bit sets.
    const bitsWords = Math.ceil(n / 32) || 1;
    const newBits = () => TypedFastBitSet.fromWords(new Uint32Array(bitsWords));
    this.everyone = textMatch(newBits(), []);
    for (const slot of live) this.everyone.bits.add(slot);
    this.valueCounts = dictionaries.values.map((d) => d.values.length);
    this.valueBits = FacetNames.map((_, f) => dictionaries.values[f].values.map(newBits));
    this.allBySlot = [];
    this.countedBySlot = FacetNames.map((_, f) => {
      const values = dictionaries.values[f].values;
      const bits = this.valueBits[f];
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
          if (counted !== all && values[id].length <= 3) counted.add(id);
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
      const counted = d.values.flatMap((value, id) => (f !== SECTOR || value.length <= 3 ? [id] : []));
      return Int32Array.from(counted);
    });
    this.tallies = dictionaries.values.map((d) => new Int32Array(d.values.length));

    const nameKey = (slot: number) => members[slot]!.nameKey;
    const sinceKey = (slot: number) => members[slot]!.sinceKey;
    const idKey = (slot: number) => members[slot]!.id;
    const merge = previous && previous.changedSlots.size <= n / 8;
    this.nameOrder = merge
      ? mergedOrder(previous.snapshot.nameOrder, previous.changedSlots, members, nameKey)
      : sortedOrder(live, nameKey);
    this.sinceOrder = merge
      ? mergedOrder(previous.snapshot.sinceOrder, previous.changedSlots, members, sinceKey)
      : sortedOrder(live, sinceKey);
    this.idOrder = merge
      ? mergedOrder(previous.snapshot.idOrder, previous.changedSlots, members, idKey)
      : sortedOrder(live, idKey);
    this.nameRank = ranks(this.nameOrder, n);
    this.idRank = ranks(this.idOrder, n);
    this.sinceRank = ranks(this.sinceOrder, n);

    this.best = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.noPoints = new Uint16Array(n);
    this.resultSlots = new Int32Array(n);
    this.baseSlots = new Int32Array(n);
    this.resultBits = newBits();
    this.baseBits = newBits();
    // Sorts the vocabulary now, not in the first search.
    dictionaries.words.withPrefix('');
  }

  private member(slot: number): IndexedMember {
    return this.members[slot]!;
  }

  search(query: IndexQuery, page: PageRequest): IndexPage {
    const text = query.words.length > 0 ? this.textMatch(query.words) : null;
    const match = text ?? this.everyone;
    const filters = this.filterBits(query.filters);
    const results = intersect(this.resultBits, match.bits, filters);
    const total = spellOut(results, this.resultSlots);

    const points = page.sort === 'relevance' && text ? this.relevance(text) : this.noPoints;
    const slots = this.page(results, total, page, points);
    return {
      hits: slots
        .slice(0, page.limit)
        .map((slot) => ({ member: this.member(slot), key: this.key(page.sort, slot, points) })),
      hasMore: slots.length > page.limit,
      total,
      ...(page.facets ? { facets: this.countFacets(match, results, total, filters) } : {}),
    };
  }

  private textMatch(words: string[]): TextMatch {
    return cached(this.textMatches, words.join(' '), () => this.matchText(words));
  }

  /** Every word as a word or a word's beginning (`bal` finds `baltled`); if none, within one typo. */
  private matchText(words: string[]): TextMatch {
    const vocabulary = this.dictionaries.words;
    const prefixes = words.map((word): Expansion => {
      const wordIds = Array.from(vocabulary.withPrefix(word));
      return { wordIds, points: wordIds.map((id) => (vocabulary.word(id) === word ? MATCH.word : MATCH.prefix)) };
    });
    const bits = this.matchEvery(prefixes);
    if (!bits.isEmpty()) return textMatch(bits, prefixes);
    const typos = words.map((word, i) => {
      const expansion: Expansion = { wordIds: [...prefixes[i].wordIds], points: [...prefixes[i].points] };
      for (const id of vocabulary.near(word)) {
        if (vocabulary.word(id).startsWith(word)) continue; // already a prefix match
        expansion.wordIds.push(id);
        expansion.points.push(MATCH.typo);
      }
      return expansion;
    });
    return textMatch(this.matchEvery(typos), typos);
  }

  private matchEvery(expansions: Expansion[]): TypedFastBitSet {
    const postings = (e: Expansion) =>
      e.wordIds.reduce((sum, id) => sum + this.postingStart[id + 1] - this.postingStart[id], 0);
    const [first, ...rest] = [...expansions].sort((a, b) => postings(a) - postings(b));
    const bits = this.expansionBits(first);
    for (const expansion of rest) {
      if (bits.isEmpty()) break;
      bits.intersection(this.expansionBits(expansion));
    }
    return bits;
  }

  /** The members using any word of the expansion (a new set, free to change). */
  private expansionBits(expansion: Expansion): TypedFastBitSet {
    const bits = this.emptyBits();
    for (const id of expansion.wordIds) {
      const from = this.postingStart[id];
      const to = this.postingStart[id + 1];
      if (to - from > this.size >>> 5) {
        bits.union(this.frequentWordBits(id, from, to));
      } else {
        for (let p = from; p < to; p++) bits.add(this.postingSlots[p]);
      }
    }
    return bits;
  }

  /** Words used by more than one member in 32: cheaper to OR as bits than to add one by one. */
  private frequentWordBits(id: number, from: number, to: number): TypedFastBitSet {
    let bits = this.wordBits.get(id);
    if (!bits) {
      bits = this.emptyBits();
      for (let p = from; p < to; p++) bits.add(this.postingSlots[p]);
      this.wordBits.set(id, bits);
    }
    return bits;
  }

  /** The members each filter lets through (read-only sets: a filter's own, or kept in filterSets). */
  private filterBits(filters: IndexFilters): Filter[] {
    const compiled: Filter[] = [];
    const anyOf = (name: FacetName, wanted: string[] | undefined) => {
      if (!wanted?.length) return;
      const f = FacetNames.indexOf(name);
      const valueIds = [...new Set(wanted.flatMap((value) => this.dictionaries.values[f].find(value) ?? []))];
      if (valueIds.length === 1) {
        compiled.push({ facet: f, bits: this.valueBits[f][valueIds[0]], valueIds });
        return;
      }
      const bits = cached(this.filterSets, `${f}:${wanted.join('\u0000')}`, () => {
        const union = this.emptyBits();
        for (const id of valueIds) union.union(this.valueBits[f][id]);
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
      const bits = cached(this.filterSets, `since:${from}:${to}`, () => this.sinceRange(from, to));
      const years = this.dictionaries.values[MEMBER_SINCE_YEAR].values.slice(0, this.valueCounts[MEMBER_SINCE_YEAR]);
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
    const bits = this.emptyBits();
    this.dictionaries.values[MEMBER_SINCE_YEAR].values.forEach((year, id) => {
      const [first, last] = [`${year}-01-01`, `${year}-12-31`];
      if (last < from || first > to) return;
      if (from <= first && last <= to) {
        bits.union(this.valueBits[MEMBER_SINCE_YEAR][id]);
        return;
      }
      const end = this.sinceBound(last < to ? last : to, '\uffff');
      for (let rank = this.sinceBound(first > from ? first : from, ''); rank < end; rank++) {
        bits.add(this.sinceOrder[rank]);
      }
    });
    return bits;
  }

  private emptyBits(): TypedFastBitSet {
    return TypedFastBitSet.fromWords(new Uint32Array(this.everyone.bits.words.length));
  }

  /** The first rank in id order whose id comes after `id`. */
  private idBound(id: string): number {
    return lowerBound(this.size, (rank) => this.member(this.idOrder[rank]).id > id);
  }

  /** The first rank in member-since order whose (day, id) comes after (day, id). */
  private sinceBound(day: string, id: string): number {
    return lowerBound(this.size, (rank) => {
      const m = this.member(this.sinceOrder[rank]);
      return (compareText(m.memberSince, day) || compareText(m.id, id)) > 0;
    });
  }

  /** The page's slots in its order: up to limit + 1 (one more tells that a next page exists). */
  private page(results: TypedFastBitSet, total: number, page: PageRequest, score: Uint16Array): number[] {
    const take = page.limit + 1;
    if (page.sort === 'relevance') {
      // Ties go by id, compared as ranks in id order (integers: a result can have thousands of ties).
      const { resultSlots, idRank } = this;
      const top = new TopSlots(take, (a, b) => score[b] - score[a] || idRank[a] - idRank[b]);
      const afterScore = page.after === null ? Infinity : (page.after[0] as number);
      const firstIdRankAfter = page.after === null ? 0 : this.idBound(page.after[1]);
      for (let i = 0; i < total; i++) {
        const slot = resultSlots[i];
        const points = score[slot];
        if (points > afterScore || (points === afterScore && idRank[slot] < firstIdRankAfter)) continue;
        if (top.full) {
          // Cannot make the page: fewer points than the last kept, or as many and a later id.
          const last = top.last;
          if (points < score[last] || (points === score[last] && idRank[slot] > idRank[last])) continue;
        }
        top.offer(slot);
      }
      return top.slots();
    }

    // Name and member-since orders: ranks in a precomputed order, walked from the cursor on.
    const byName = page.sort === 'name';
    const descending = page.sort === '-memberSince';
    const order = byName ? this.nameOrder : this.sinceOrder;
    const rank = byName ? this.nameRank : this.sinceRank;
    const key = (slot: number) => (byName ? this.member(slot).sortName : this.member(slot).memberSince);
    const afterRank =
      page.after === null
        ? descending
          ? this.size
          : -1
        : lowerBound(this.size, (r) => {
            const slot = order[r];
            const c =
              compareText(key(slot), page.after![0] as string) || compareText(this.member(slot).id, page.after![1]);
            return descending ? c >= 0 : c > 0;
          }) - (descending ? 0 : 1);
    const qualifies = (r: number) => (descending ? r < afterRank : r > afterRank);

    if (total > this.size >>> 4) {
      // Many results: walk the order and take the first that are in them.
      const slots: number[] = [];
      const step = descending ? -1 : 1;
      for (let r = descending ? afterRank - 1 : afterRank + 1; r >= 0 && r < this.size; r += step) {
        if (results.has(order[r])) {
          slots.push(order[r]);
          if (slots.length === take) break;
        }
      }
      return slots;
    }
    const top = new TopSlots(take, descending ? (a, b) => rank[b] - rank[a] : (a, b) => rank[a] - rank[b]);
    for (let i = 0; i < total; i++) {
      if (qualifies(rank[this.resultSlots[i]])) top.offer(this.resultSlots[i]);
    }
    return top.slots();
  }

  /**
   * Relevance of every member the text matches: per query word, its best points in the member,
   * summed. Kept with the text match, so that other filters, sorts and pages of the same words
   * cost nothing more.
   */
  private relevance(text: TextMatch): Uint16Array {
    if (text.points) return text.points;
    const { best, seen, postingStart, postingSlots, postingFields } = this;
    const points = new Uint16Array(this.members.length);
    const matched = text.bits.words;
    const matchedSlots = this.baseSlots;
    const count = spellOut(text.bits, matchedSlots);
    for (const { wordIds, points: wordPoints } of text.expansions) {
      const mark = ++this.mark;
      for (let w = 0; w < wordIds.length; w++) {
        const id = wordIds[w];
        for (let p = postingStart[id]; p < postingStart[id + 1]; p++) {
          const slot = postingSlots[p];
          if ((matched[slot >>> 5] & (1 << (slot & 31))) === 0) continue;
          const value = wordPoints[w] * fieldPoints(postingFields[p]);
          if (seen[slot] !== mark) {
            seen[slot] = mark;
            best[slot] = value;
          } else if (value > best[slot]) {
            best[slot] = value;
          }
        }
      }
      for (let i = 0; i < count; i++) points[matchedSlots[i]] += best[matchedSlots[i]];
    }
    return (text.points = points);
  }

  /**
   * One facet's counts over `members` (`size` of them) into its tally: member by member, or
   * value by value as the size of (members AND value's members), whichever touches fewer
   * numbers. A large set and a facet of few values (size class: 4) go by value; a small set or
   * many values (sectors) member by member.
   */
  private count(facet: number, members: TypedFastBitSet, size: number, spelledOut: Int32Array | null): void {
    const tally = this.tallies[facet];
    const counted = this.countedValues[facet];
    for (let i = 0; i < counted.length; i++) tally[counted[i]] = 0;
    const { start, ids } = this.countedBySlot[facet];
    const byMember = size * (1 + ids.length / Math.max(1, this.size));
    const byValue = (counted.length * this.everyone.bits.words.length) / 2;
    if (byValue < byMember) {
      const bits = this.valueBits[facet];
      for (let i = 0; i < counted.length; i++) tally[counted[i]] = members.intersection_size(bits[counted[i]]);
      return;
    }
    const slots = spelledOut ?? this.baseSlots;
    if (!spelledOut) spellOut(members, slots);
    const single = this.singleValue[facet];
    if (single) {
      for (let i = 0; i < size; i++) tally[single[slots[i]]]++;
      return;
    }
    for (let i = 0; i < size; i++) {
      const slot = slots[i];
      for (let k = start[slot]; k < start[slot + 1]; k++) tally[ids[k]]++;
    }
  }

  private key(sort: SortOrder, slot: number, points: Uint16Array): SortKey {
    const m = this.member(slot);
    if (sort === 'relevance') return [points[slot], m.id];
    return [sort === 'name' ? m.sortName : m.memberSince, m.id];
  }

  /**
   * Facet counts: a facet without a filter counts the results; a facet with one counts the text
   * match under every other filter (how many more a portal gets by widening that one filter).
   * Under no filter, the counts are kept with the text match; under one filter on another facet
   * (a choice of values), they come from the two facets' joint counts once those pay (see
   * countUnder); under more, member by member.
   */
  private countFacets(match: TextMatch, results: TypedFastBitSet, total: number, filters: Filter[]): FacetCounts {
    const facets = {} as FacetCounts;
    FacetNames.forEach((name, f) => {
      const own = filters.find((filter) => filter.facet === f);
      const others = own ? filters.filter((filter) => filter !== own) : filters;
      // Without its own filter, a facet counts the results: the match under the other filters.
      const underOthers = (): FacetCount[] => {
        if (!own) return this.counted(f, results, total, this.resultSlots);
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
    return !!filter.valueIds && (filter.valueIds.length <= 1 || !!this.singleValue[filter.facet]);
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
      pairs = FacetPairs.count(
        this.baseSlots,
        count,
        this.countedBySlot[facet],
        this.valueCounts[facet],
        this.allBySlot[filter.facet],
        this.valueCounts[filter.facet],
      );
      match.pairs.set(key, pairs);
      match.pairWork.delete(key);
    }
    pairs.rowCounts(this.countedValues[facet], filter.valueIds, this.tallies[facet]);
    return this.listed(facet);
  }

  /** One facet's counts over `members` (see count), as an answer lists them. */
  private counted(facet: number, members: TypedFastBitSet, size: number, spelledOut: Int32Array | null): FacetCount[] {
    this.count(facet, members, size, spelledOut);
    return this.listed(facet);
  }

  /** The facet's tally as an answer lists it: values counted at least once, most first. */
  private listed(facet: number): FacetCount[] {
    const values = this.dictionaries.values[facet].values;
    const [tally, counted] = [this.tallies[facet], this.countedValues[facet]];
    const list: FacetCount[] = [];
    for (let i = 0; i < counted.length; i++) {
      const id = counted[i];
      if (tally[id] > 0) list.push({ value: values[id], count: tally[id] });
    }
    return list.sort((a, b) => b.count - a.count || compareText(a.value, b.value));
  }
}

function textMatch(bits: TypedFastBitSet, expansions: Expansion[]): TextMatch {
  return { bits, expansions, counts: [], pairs: new Map(), pairWork: new Map() };
}

function matchSize(match: TextMatch): number {
  return (match.size ??= match.bits.size());
}

/** Whether the day is in [from, to] (YYYY-MM-DD). */
function inside(from: string, day: string, to: string): boolean {
  return from <= day && day <= to;
}

/** Sets `into` to the members of `from` that every filter lets through; returns it. */
function intersect(into: TypedFastBitSet, from: TypedFastBitSet, filters: readonly Filter[]): TypedFastBitSet {
  into.words.set(from.words);
  for (const filter of filters) into.intersection(filter.bits);
  return into;
}

/** The cache's value for `key`, made and kept if it has none. */
function cached<V extends object>(cache: LRUCache<string, V>, key: string, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}

/** Writes the members of `bits` into `into` in slot order; returns how many. */
function spellOut(bits: TypedFastBitSet, into: Int32Array): number {
  const words = bits.words;
  let n = 0;
  for (let k = 0; k < words.length; k++) {
    let word = words[k];
    while (word !== 0) {
      const lowest = word & -word;
      into[n++] = (k << 5) + 31 - Math.clz32(lowest);
      word ^= lowest;
    }
  }
  return n;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first index in [0, n) where `isPast` turns true (it is false, then true). */
function lowerBound(n: number, isPast: (index: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isPast(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Slots in the order of their keys (distinct: each ends with the member's id). */
function sortedOrder(slots: number[], key: (slot: number) => string): Int32Array {
  return Int32Array.from([...slots].sort((a, b) => (key(a) < key(b) ? -1 : 1)));
}

/** The previous order without the changed slots, merged with the changed slots that hold a member. */
function mergedOrder(
  previous: Int32Array,
  changed: ReadonlySet<number>,
  members: readonly (IndexedMember | undefined)[],
  key: (slot: number) => string,
): Int32Array {
  const kept = previous.filter((slot) => !changed.has(slot));
  const added = sortedOrder(
    [...changed].filter((slot) => members[slot]),
    key,
  );
  const order = new Int32Array(kept.length + added.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < order.length; k++) {
    order[k] = j >= added.length || (i < kept.length && key(kept[i]) < key(added[j])) ? kept[i++] : added[j++];
  }
  return order;
}

/** Each slot's place in the order. */
function ranks(order: Int32Array, capacity: number): Int32Array {
  const rank = new Int32Array(capacity);
  order.forEach((slot, r) => (rank[slot] = r));
  return rank;
}

/**
 * The `capacity` first slots in an order, offered one by one: a sorted buffer where a slot not
 * better than the current last costs one comparison (most of them, in a large result).
 */
class TopSlots {
  private readonly buffer: number[] = [];

  constructor(
    private readonly capacity: number,
    private readonly compare: (a: number, b: number) => number,
  ) {}

  offer(slot: number): void {
    const { buffer, compare } = this;
    if (buffer.length === this.capacity && compare(slot, buffer[buffer.length - 1]) >= 0) return;
    let low = 0;
    let high = buffer.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compare(buffer[mid], slot) <= 0) low = mid + 1;
      else high = mid;
    }
    buffer.splice(low, 0, slot);
    if (buffer.length > this.capacity) buffer.pop();
  }

  get full(): boolean {
    return this.buffer.length === this.capacity;
  }

  /** The last slot kept (only when full). */
  get last(): number {
    return this.buffer[this.buffer.length - 1];
  }

  slots(): number[] {
    return this.buffer;
  }
}
