import { TypedFastBitSet } from 'typedfastbitset';
import { SortOrder } from '../../common/sort-order';
import { IndexedMember } from '../indexed-member';
import { compareText, lowerBound, MemberOrders } from './member-orders';

/** A hit's place in its order: [relevance points, name or member-since day; then the id]. */
export type SortKey = [string | number, string];

export interface PageRequest {
  sort: SortOrder;
  /** Only hits after this key (keyset pagination). */
  after: SortKey | null;
  limit: number;
  facets: boolean;
}

/**
 * One page of results in its order: the best `limit + 1` after the cursor (one more tells that a
 * next page exists). Relevance keeps the best by points, ties by id; the name and member-since
 * orders walk their precomputed order from the cursor when results are many, else keep the best
 * by rank.
 */
export class Pages {
  constructor(
    private readonly members: readonly (IndexedMember | undefined)[],
    private readonly orders: MemberOrders,
  ) {}

  /**
   * The page's slots in its order: up to limit + 1. `results` are the hits, `resultSlots` the
   * same spelled out (`total` of them), `score` their relevance points by slot.
   */
  slots(
    results: TypedFastBitSet,
    resultSlots: Int32Array,
    total: number,
    page: PageRequest,
    score: Uint16Array,
  ): number[] {
    const take = page.limit + 1;
    const orders = this.orders;
    if (page.sort === 'relevance') {
      // Ties go by id, compared as ranks in id order (integers: a result can have thousands of ties).
      const idRank = orders.idRank;
      const top = new TopSlots(take, (a, b) => score[b] - score[a] || idRank[a] - idRank[b]);
      const afterScore = page.after === null ? Infinity : (page.after[0] as number);
      const firstIdRankAfter = page.after === null ? 0 : orders.idBound(page.after[1]);
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
    const order = byName ? orders.name : orders.since;
    const rank = byName ? orders.nameRank : orders.sinceRank;
    const key = (slot: number) => (byName ? this.member(slot).sortName : this.member(slot).memberSince);
    const afterRank =
      page.after === null
        ? descending
          ? orders.size
          : -1
        : lowerBound(orders.size, (r) => {
            const slot = order[r];
            const c =
              compareText(key(slot), page.after![0] as string) || compareText(this.member(slot).id, page.after![1]);
            return descending ? c >= 0 : c > 0;
          }) - (descending ? 0 : 1);
    const qualifies = (r: number) => (descending ? r < afterRank : r > afterRank);

    if (total > orders.size >>> 4) {
      // Many results: walk the order and take the first that are in them.
      const slots: number[] = [];
      const step = descending ? -1 : 1;
      for (let r = descending ? afterRank - 1 : afterRank + 1; r >= 0 && r < orders.size; r += step) {
        if (results.has(order[r])) {
          slots.push(order[r]);
          if (slots.length === take) break;
        }
      }
      return slots;
    }
    const top = new TopSlots(take, descending ? (a, b) => rank[b] - rank[a] : (a, b) => rank[a] - rank[b]);
    for (let i = 0; i < total; i++) {
      if (qualifies(rank[resultSlots[i]])) top.offer(resultSlots[i]);
    }
    return top.slots();
  }

  /** The hit's key in the order, as a cursor carries it. */
  key(sort: SortOrder, slot: number, points: Uint16Array): SortKey {
    const m = this.member(slot);
    if (sort === 'relevance') return [points[slot], m.id];
    return [sort === 'name' ? m.sortName : m.memberSince, m.id];
  }

  private member(slot: number): IndexedMember {
    return this.members[slot]!;
  }
}

/**
 * The `capacity` first slots in an order, offered one by one: a sorted buffer where a slot not
 * better than the current last costs one comparison (most of them, in a large result).
 */
export class TopSlots {
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
