import { FacetPairs, SlotValuesBuilder } from './facet-pairs';

describe('facet pairs', () => {
  /** Per slot, its value ids. */
  const slotValues = (bySlot: number[][]) => {
    const builder = new SlotValuesBuilder(bySlot.length);
    bySlot.forEach((ids, slot) => {
      builder.startSlot(slot);
      for (const id of ids) builder.add(id);
    });
    return builder.build();
  };

  it('lays out each slot’s values in one flat array', () => {
    const values = slotValues([[2], [], [0, 1]]);
    expect(Array.from(values.start)).toEqual([0, 1, 1, 3]);
    expect(Array.from(values.ids)).toEqual([2, 0, 1]);
  });

  it('counts members per pair of values, and per row value the members with any of some columns', () => {
    // Rows: a facet of 2 values; columns: a facet of 3 values, one per member.
    const rows = slotValues([[0], [0, 1], [1], [0]]);
    const columns = slotValues([[2], [0], [0], [1]]);
    const pairs = FacetPairs.count(Int32Array.from([0, 1, 2, 3]), 4, rows, 2, columns, 3);
    const tally = new Int32Array(2);
    pairs.rowCounts(Int32Array.from([0, 1]), [0], tally);
    expect(Array.from(tally)).toEqual([1, 2]);
    pairs.rowCounts(Int32Array.from([0, 1]), [0, 1, 2], tally);
    expect(Array.from(tally)).toEqual([3, 2]);
    // Only the members given (the first `count` of them) are counted.
    const some = FacetPairs.count(Int32Array.from([2, 3, 0]), 2, rows, 2, columns, 3);
    some.rowCounts(Int32Array.from([0, 1]), [0, 1], tally);
    expect(Array.from(tally)).toEqual([1, 1]);
  });
});
