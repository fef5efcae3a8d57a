import { IndexedMember } from '../indexed-member';

/**
 * The listed members of a snapshot in name, member-since and id order (each key ends with the
 * member's id, so every order is total), and each slot's rank in each. Built by sorting, or, when
 * few members changed since the previous snapshot, by merging the changed ones into its orders.
 */
export class MemberOrders {
  readonly name: Int32Array;
  readonly since: Int32Array;
  readonly id: Int32Array;
  readonly nameRank: Int32Array;
  readonly sinceRank: Int32Array;
  readonly idRank: Int32Array;
  /** Members in each order. */
  readonly size: number;

  /**
   * `members` by slot (holes where none is), `live` the slots that hold one; with `previous` and
   * the slots changed since, merged from the previous orders when those are at most an eighth.
   */
  constructor(
    private readonly members: readonly (IndexedMember | undefined)[],
    live: number[],
    previous?: { orders: MemberOrders; changedSlots: ReadonlySet<number> },
  ) {
    const n = members.length;
    this.size = live.length;
    const nameKey = (slot: number) => members[slot]!.nameKey;
    const sinceKey = (slot: number) => members[slot]!.sinceKey;
    const idKey = (slot: number) => members[slot]!.id;
    const merge = previous && previous.changedSlots.size <= n / 8;
    this.name = merge
      ? mergedOrder(previous.orders.name, previous.changedSlots, members, nameKey)
      : sortedOrder(live, nameKey);
    this.since = merge
      ? mergedOrder(previous.orders.since, previous.changedSlots, members, sinceKey)
      : sortedOrder(live, sinceKey);
    this.id = merge ? mergedOrder(previous.orders.id, previous.changedSlots, members, idKey) : sortedOrder(live, idKey);
    this.nameRank = ranks(this.name, n);
    this.idRank = ranks(this.id, n);
    this.sinceRank = ranks(this.since, n);
  }

  /** The first rank in id order whose id comes after `id`. */
  idBound(id: string): number {
    return lowerBound(this.size, (rank) => this.members[this.id[rank]]!.id > id);
  }

  /** The first rank in member-since order whose (day, id) comes after (day, id). */
  sinceBound(day: string, id: string): number {
    return lowerBound(this.size, (rank) => {
      const m = this.members[this.since[rank]]!;
      return (compareText(m.memberSince, day) || compareText(m.id, id)) > 0;
    });
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first index in [0, n) where `isPast` turns true (it is false, then true). */
export function lowerBound(n: number, isPast: (index: number) => boolean): number {
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
