import { indexed, listedEntry } from '../../../test/indexed-members';
import { MemberOrders } from './member-orders';
import { PageRequest, Pages, SortKey, TopSlots } from './pages';
import { emptySlotSet, spellOut } from './slot-sets';

describe('pages', () => {
  // Ten members: names A..J, admitted a year apart from 2015, ids in reverse name order.
  const entries = Array.from({ length: 10 }, (_, i) =>
    listedEntry({
      memberId: `00000000-0000-4000-8000-0000000000${String(99 - i)}`,
      legalName: `${String.fromCharCode(65 + i)} UAB`,
      memberSince: `${2015 + i}-06-01`,
    }),
  );
  const { members, live } = indexed(entries);
  const orders = new MemberOrders(members, live);
  const pages = new Pages(members, orders);
  const noPoints = new Uint16Array(members.length);

  /** The page of `results` (slots) as names' first letters, with each hit's key. */
  function page(results: number[], request: Partial<PageRequest>, points = noPoints) {
    const bits = emptySlotSet(1);
    for (const slot of results) bits.add(slot);
    const slots = new Int32Array(members.length);
    const total = spellOut(bits, slots);
    const full: PageRequest = { sort: 'name', after: null, limit: 3, facets: false, ...request };
    const found = pages.slots(bits, slots, total, full, points);
    return {
      names: found.map((slot) => members[slot]!.sortName[0]),
      keys: found.map((slot) => pages.key(full.sort, slot, points)),
    };
  }

  it('gives limit + 1 hits by name, then the next ones after the last key', () => {
    const everyone = live;
    const first = page(everyone, {});
    expect(first.names).toEqual(['a', 'b', 'c', 'd']);
    const after: SortKey = first.keys[2];
    expect(after).toEqual(['c uab', members[2]!.id]);
    expect(page(everyone, { after }).names).toEqual(['d', 'e', 'f', 'g']);
    expect(page(everyone, { after: page(everyone, { limit: 8 }).keys[8] }).names).toEqual(['j']);
  });

  it('walks a few results by rank and many by the order, to the same pages', () => {
    const few = [9, 2, 5];
    expect(page(few, {}).names).toEqual(['c', 'f', 'j']);
    expect(page(few, { after: ['c uab', members[2]!.id] }).names).toEqual(['f', 'j']);
  });

  it('orders by member since, oldest or newest first', () => {
    expect(page(live, { sort: 'memberSince' }).names).toEqual(['a', 'b', 'c', 'd']);
    const newest = page(live, { sort: '-memberSince' });
    expect(newest.names).toEqual(['j', 'i', 'h', 'g']);
    expect(newest.keys[0]).toEqual(['2024-06-01', members[9]!.id]);
    expect(page(live, { sort: '-memberSince', after: newest.keys[2] }).names).toEqual(['g', 'f', 'e', 'd']);
    expect(page([1, 4], { sort: '-memberSince' }).names).toEqual(['e', 'b']);
  });

  it('orders by relevance, most points first, ties by id, and goes on after a cursor', () => {
    const points = new Uint16Array(members.length);
    [points[0], points[1], points[2], points[3]] = [100, 700, 100, 100];
    // Ids run against the names: among the 100s, D (…96) before C (…97) before A (…99).
    const first = page([0, 1, 2, 3], { sort: 'relevance', limit: 2 }, points);
    expect(first.names).toEqual(['b', 'd', 'c']);
    expect(first.keys[1]).toEqual([100, members[3]!.id]);
    expect(page([0, 1, 2, 3], { sort: 'relevance', limit: 2, after: first.keys[1] }, points).names).toEqual(['c', 'a']);
  });

  it('keeps the first slots of an order, whatever order they are offered in', () => {
    const top = new TopSlots(3, (a, b) => a - b);
    for (const slot of [7, 3, 9, 1, 8, 2]) top.offer(slot);
    expect(top.slots()).toEqual([1, 2, 3]);
    expect(top.full).toBe(true);
    expect(top.last).toBe(3);
    const partial = new TopSlots(5, (a, b) => b - a);
    partial.offer(1);
    partial.offer(4);
    expect(partial.full).toBe(false);
    expect(partial.slots()).toEqual([4, 1]);
  });
});
