import { LRUCache } from 'lru-cache';
import { TypedFastBitSet } from 'typedfastbitset';

/**
 * Sets of member slots as bit sets (one bit per slot), and the few helpers every part of a
 * snapshot uses on them. Every set of one snapshot has the same number of words.
 */

/** An empty set of `words` 32-bit words (slots 0 .. 32 × words − 1). */
export function emptySlotSet(words: number): TypedFastBitSet {
  return TypedFastBitSet.fromWords(new Uint32Array(words));
}

/** Sets `into` to the members of `from` that every filter lets through; returns it. */
export function intersect(
  into: TypedFastBitSet,
  from: TypedFastBitSet,
  filters: readonly { bits: TypedFastBitSet }[],
): TypedFastBitSet {
  into.words.set(from.words);
  for (const filter of filters) into.intersection(filter.bits);
  return into;
}

/** Writes the members of `bits` into `into` in slot order; returns how many. */
export function spellOut(bits: TypedFastBitSet, into: Int32Array): number {
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

/** The cache's value for `key`, made and kept if it has none. */
export function cached<V extends object>(cache: LRUCache<string, V>, key: string, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}
