import { LRUCache } from 'lru-cache';
import { TypedFastBitSet } from 'typedfastbitset';
import { Audience } from '../../common/audience';
import { IndexedMember, MEMBERS_ONLY_SHIFT, TEXT_FIELDS_SEEN, TextField } from '../indexed-member';
import { Vocabulary } from '../vocabulary';
import type { FacetCount } from './facet-counts';
import type { FacetPairs } from './facet-pairs';
import { cached, emptySlotSet, spellOut } from './slot-sets';

/**
 * Relevance points of one query word in one member: where it matched (name over statement over
 * description) times how (the whole word over a word's beginning over a typo). Integers, so that
 * keyset cursors on relevance compare exactly.
 */
export const fieldPoints = (fields: number) =>
  fields & TextField.name
    ? 100
    : fields & (TextField.statement | (TextField.statement << MEMBERS_ONLY_SHIFT))
      ? 40
      : 20;
export const MATCH = { word: 10, prefix: 7, typo: 5 } as const;

/** What one query word stands for: indexed words, each with its match points. */
export interface Expansion {
  wordIds: number[];
  points: number[];
}

/**
 * The members that match a query's words (or everyone, without words), what each word stood
 * for, and what searches with these words counted over them, kept for the next ones.
 */
export interface TextMatch {
  /** The TextField bits its words matched on (TEXT_FIELDS_SEEN of its audience). */
  fieldsSeen: number;
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

export function textMatch(
  bits: TypedFastBitSet,
  expansions: Expansion[],
  fieldsSeen = TEXT_FIELDS_SEEN.public,
): TextMatch {
  return { fieldsSeen, bits, expansions, counts: [], pairs: new Map(), pairWork: new Map() };
}

export function matchSize(match: TextMatch): number {
  return (match.size ??= match.bits.size());
}

/**
 * The text side of a snapshot: postings (for every word id, the member slots that use it and in
 * which fields), bit sets of frequent words made on first use, the text matches of recent
 * queries, and relevance. A query matches when every word matches a word of the member, whole or
 * as its beginning; only when that finds nothing, within one typo.
 *
 * Per audience: a search for the public matches only on the places the public sees (a posting
 * whose fields are all members-only counts for members only); the words of hidden fields were
 * never indexed. While no member of the snapshot shows text to members only, both audiences share
 * every match and set (and the cost is a mask test per posting).
 */
export class TextIndex {
  private readonly postingStart: Int32Array;
  private readonly postingSlots: Int32Array;
  private readonly postingFields: Uint8Array;
  /** Per audience, the sets of frequent words (one object for both where they are alike). */
  private readonly wordBits: Record<Audience, Map<number, TypedFastBitSet>> = { public: new Map(), members: new Map() };
  /**
   * Text matches this snapshot has computed, by audience and words: portals ask the same words
   * again.
   */
  private readonly matches = new LRUCache<string, TextMatch>({ max: 128 });
  /** Some member shows words to members only: the audiences' matches differ. */
  private readonly membersOnlyText: boolean;
  /** Members in the snapshot. */
  private readonly size: number;
  // Scratch space of relevance scoring, one number per slot, reused by every search.
  private readonly best: Int32Array;
  private readonly seen: Int32Array;
  private readonly matchedSlots: Int32Array;
  private mark = 0;

  /** `members` by slot (holes where none is), `live` the slots that hold one, sets of `bitsWords` words. */
  constructor(
    private readonly members: readonly (IndexedMember | undefined)[],
    live: number[],
    private readonly vocabulary: Vocabulary,
    private readonly bitsWords: number,
  ) {
    this.size = live.length;
    // Postings, grouped by word id in one pass to count and one to fill (slots ascending).
    const wordCount = vocabulary.size;
    const postingStart = (this.postingStart = new Int32Array(wordCount + 1));
    for (const slot of live) for (const id of members[slot]!.wordIds) postingStart[id + 1]++;
    for (let w = 0; w < wordCount; w++) postingStart[w + 1] += postingStart[w];
    this.postingSlots = new Int32Array(postingStart[wordCount]);
    this.postingFields = new Uint8Array(postingStart[wordCount]);
    const fill = postingStart.slice(0, wordCount);
    let membersOnly = 0;
    for (const slot of live) {
      const { wordIds, wordFields } = members[slot]!;
      for (let j = 0; j < wordIds.length; j++) {
        const at = fill[wordIds[j]]++;
        this.postingSlots[at] = slot;
        this.postingFields[at] = wordFields[j];
        membersOnly |= wordFields[j] & ~TEXT_FIELDS_SEEN.public;
      }
    }
    this.membersOnlyText = membersOnly !== 0;
    const n = members.length;
    this.best = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.matchedSlots = new Int32Array(n);
  }

  /**
   * The members matching every word (folded query words, at least one) where the audience sees
   * it, kept for the next search.
   */
  match(words: string[], audience: Audience = 'public'): TextMatch {
    // Without members-only text both audiences see the same words: one match serves both.
    const seenBy: Audience = this.membersOnlyText ? audience : 'public';
    const key = seenBy === 'public' ? words.join(' ') : `members:${words.join(' ')}`;
    return cached(this.matches, key, () => this.matchText(words, seenBy));
  }

  /**
   * Relevance of every member the text matches: per query word, its best points in the member,
   * summed. Kept with the text match, so that other filters, sorts and pages of the same words
   * cost nothing more.
   */
  relevance(text: TextMatch): Uint16Array {
    if (text.points) return text.points;
    const { best, seen, postingStart, postingSlots, postingFields, matchedSlots } = this;
    const fieldsSeen = text.fieldsSeen;
    const points = new Uint16Array(this.members.length);
    const matched = text.bits.words;
    const count = spellOut(text.bits, matchedSlots);
    for (const { wordIds, points: wordPoints } of text.expansions) {
      const mark = ++this.mark;
      for (let w = 0; w < wordIds.length; w++) {
        const id = wordIds[w];
        for (let p = postingStart[id]; p < postingStart[id + 1]; p++) {
          const slot = postingSlots[p];
          if ((matched[slot >>> 5] & (1 << (slot & 31))) === 0) continue;
          const fields = postingFields[p] & fieldsSeen;
          if (fields === 0) continue; // a place this audience does not see
          const value = wordPoints[w] * fieldPoints(fields);
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

  /** Every word as a word or a word's beginning (`bal` finds `baltled`); if none, within one typo. */
  private matchText(words: string[], audience: Audience): TextMatch {
    const vocabulary = this.vocabulary;
    const fieldsSeen = TEXT_FIELDS_SEEN[audience];
    const prefixes = words.map((word): Expansion => {
      const wordIds = Array.from(vocabulary.withPrefix(word));
      return { wordIds, points: wordIds.map((id) => (vocabulary.word(id) === word ? MATCH.word : MATCH.prefix)) };
    });
    const bits = this.matchEvery(prefixes, audience);
    if (!bits.isEmpty()) return textMatch(bits, prefixes, fieldsSeen);
    const typos = words.map((word, i) => {
      const expansion: Expansion = { wordIds: [...prefixes[i].wordIds], points: [...prefixes[i].points] };
      for (const id of vocabulary.near(word)) {
        if (vocabulary.word(id).startsWith(word)) continue; // already a prefix match
        expansion.wordIds.push(id);
        expansion.points.push(MATCH.typo);
      }
      return expansion;
    });
    return textMatch(this.matchEvery(typos, audience), typos, fieldsSeen);
  }

  private matchEvery(expansions: Expansion[], audience: Audience): TypedFastBitSet {
    const postings = (e: Expansion) =>
      e.wordIds.reduce((sum, id) => sum + this.postingStart[id + 1] - this.postingStart[id], 0);
    const [first, ...rest] = [...expansions].sort((a, b) => postings(a) - postings(b));
    const bits = this.expansionBits(first, audience);
    for (const expansion of rest) {
      if (bits.isEmpty()) break;
      bits.intersection(this.expansionBits(expansion, audience));
    }
    return bits;
  }

  /** The members using any word of the expansion where the audience sees it (a new set, free to change). */
  private expansionBits(expansion: Expansion, audience: Audience): TypedFastBitSet {
    const bits = emptySlotSet(this.bitsWords);
    const fieldsSeen = TEXT_FIELDS_SEEN[audience];
    const { postingSlots, postingFields } = this;
    for (const id of expansion.wordIds) {
      const from = this.postingStart[id];
      const to = this.postingStart[id + 1];
      if (to - from > this.size >>> 5) {
        bits.union(this.frequentWordBits(id, from, to, audience));
      } else {
        for (let p = from; p < to; p++) if (postingFields[p] & fieldsSeen) bits.add(postingSlots[p]);
      }
    }
    return bits;
  }

  /**
   * Words used by more than one member in 32: cheaper to OR as bits than to add one by one. Made
   * once per audience, and once for both when every posting of the word is seen by the public.
   */
  private frequentWordBits(id: number, from: number, to: number, audience: Audience): TypedFastBitSet {
    let bits = this.wordBits[audience].get(id);
    if (!bits) {
      const fieldsSeen = TEXT_FIELDS_SEEN[audience];
      let alike = true;
      bits = emptySlotSet(this.bitsWords);
      for (let p = from; p < to; p++) {
        const fields = this.postingFields[p];
        if (fields & fieldsSeen) bits.add(this.postingSlots[p]);
        if ((fields & TEXT_FIELDS_SEEN.public) === 0) alike = false;
      }
      if (alike) {
        this.wordBits.public.set(id, bits);
        this.wordBits.members.set(id, bits);
      } else {
        this.wordBits[audience].set(id, bits);
      }
    }
    return bits;
  }
}
