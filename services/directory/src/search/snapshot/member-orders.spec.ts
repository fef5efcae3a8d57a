import { EntryState } from '../../projection';
import { indexed, listedEntry } from '../../../test/indexed-members';
import { compareText, lowerBound, MemberOrders } from './member-orders';

describe('member orders', () => {
  const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
  const entries = [
    listedEntry({ memberId: ids[1], legalName: 'Šviesa UAB', memberSince: '2021-03-01' }),
    undefined, // a hole: a slot freed by a member no longer listed
    listedEntry({ memberId: ids[0], legalName: 'Aedilis UAB', memberSince: '2023-01-10' }),
    listedEntry({ memberId: 'ffffffff-0000-4000-8000-000000000000', legalName: 'Ruta UAB', memberSince: '2021-03-01' }),
  ];

  it('orders the members by folded name, by member since then id, and by id, skipping holes', () => {
    const { members, live } = indexed(entries);
    const orders = new MemberOrders(members, live);
    expect(orders.size).toBe(3);
    expect(Array.from(orders.name)).toEqual([2, 3, 0]); // Š sorts with S
    expect(Array.from(orders.since)).toEqual([0, 3, 2]);
    expect(Array.from(orders.id)).toEqual([2, 0, 3]);
    expect([orders.nameRank[2], orders.nameRank[3], orders.nameRank[0]]).toEqual([0, 1, 2]);
    expect([orders.sinceRank[0], orders.sinceRank[3], orders.sinceRank[2]]).toEqual([0, 1, 2]);
  });

  it('merges changed slots into the previous orders to the same orders as sorting anew', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      listedEntry({ legalName: `Narys ${String(i).padStart(2, '0')}`, memberSince: `20${10 + (i % 7)}-01-01` }),
    );
    const before = indexed(many);
    const previous = new MemberOrders(before.members, before.live);
    const changed: (EntryState | undefined)[] = [...many];
    changed[3] = listedEntry({ legalName: 'A pirmas' });
    changed[7] = undefined;
    const after = indexed(changed);
    const merged = new MemberOrders(after.members, after.live, { orders: previous, changedSlots: new Set([3, 7]) });
    const sorted = new MemberOrders(after.members, after.live);
    expect(Array.from(merged.name)).toEqual(Array.from(sorted.name));
    expect(Array.from(merged.since)).toEqual(Array.from(sorted.since));
    expect(Array.from(merged.id)).toEqual(Array.from(sorted.id));
    expect(merged.name[0]).toBe(3);
    expect(Array.from(merged.name)).not.toContain(7);
  });

  it('finds the first rank after an id, and after a (day, id) in member-since order', () => {
    const { members, live } = indexed(entries);
    const orders = new MemberOrders(members, live);
    expect(orders.idBound('')).toBe(0);
    expect(orders.idBound(ids[0])).toBe(1);
    expect(orders.idBound('g')).toBe(3);
    expect(orders.sinceBound('2021-03-01', '')).toBe(0);
    expect(orders.sinceBound('2021-03-01', '\uffff')).toBe(2);
    expect(orders.sinceBound('2021-03-01', ids[1])).toBe(1);
    expect(orders.sinceBound('2030-01-01', '')).toBe(3);
  });

  it('compares text by code units and finds where a predicate turns true', () => {
    expect([compareText('a', 'b'), compareText('b', 'a'), compareText('a', 'a')]).toEqual([-1, 1, 0]);
    expect(lowerBound(10, (i) => i >= 4)).toBe(4);
    expect(lowerBound(10, () => false)).toBe(10);
    expect(lowerBound(0, () => true)).toBe(0);
  });
});
