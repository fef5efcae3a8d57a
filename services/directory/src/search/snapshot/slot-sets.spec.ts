import { LRUCache } from 'lru-cache';
import { cached, emptySlotSet, intersect, spellOut } from './slot-sets';

describe('slot sets', () => {
  const set = (words: number, slots: number[]) => {
    const bits = emptySlotSet(words);
    for (const slot of slots) bits.add(slot);
    return bits;
  };

  it('spells a set out in slot order, across words, and says how many', () => {
    const into = new Int32Array(10);
    expect(spellOut(set(3, [70, 0, 32, 31, 5]), into)).toBe(5);
    expect(Array.from(into.subarray(0, 5))).toEqual([0, 5, 31, 32, 70]);
    expect(spellOut(emptySlotSet(3), into)).toBe(0);
  });

  it('intersects into the scratch set with every filter, leaving the source as it was', () => {
    const from = set(2, [1, 2, 3, 40]);
    const into = set(2, [9]);
    const result = intersect(into, from, [{ bits: set(2, [2, 3, 40, 50]) }, { bits: set(2, [3, 40]) }]);
    expect(result).toBe(into);
    expect(result.array()).toEqual([3, 40]);
    expect(from.array()).toEqual([1, 2, 3, 40]);
    expect(intersect(into, from, []).array()).toEqual([1, 2, 3, 40]);
  });

  it('makes a cached value once per key', () => {
    const cache = new LRUCache<string, { n: number }>({ max: 2 });
    let made = 0;
    const make = () => ({ n: ++made });
    const first = cached(cache, 'a', make);
    expect(cached(cache, 'a', make)).toBe(first);
    expect(cached(cache, 'b', make)).toEqual({ n: 2 });
    expect(made).toBe(2);
  });
});
