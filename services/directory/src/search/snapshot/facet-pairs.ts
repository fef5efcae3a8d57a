/** Per slot, the ids of one facet's values: ids[start[slot]] .. ids[start[slot + 1] - 1]. */
export interface SlotValues {
  start: Int32Array;
  ids: Int32Array;
}

/** Builds SlotValues slot by slot, in slot order. */
export class SlotValuesBuilder {
  private readonly start: Int32Array;
  private readonly ids: number[] = [];

  constructor(private readonly slots: number) {
    this.start = new Int32Array(slots + 1);
  }

  startSlot(slot: number): void {
    this.start[slot] = this.ids.length;
  }

  add(id: number): void {
    this.ids.push(id);
  }

  build(): SlotValues {
    this.start[this.slots] = this.ids.length;
    return { start: this.start, ids: Int32Array.from(this.ids) };
  }
}

/**
 * How many members of one set (a text match, or everyone) have value `r` of one facet and value
 * `c` of another, for every pair of values. A facet counted under a filter on another facet is
 * then a sum over that filter's columns instead of a pass over thousands of members.
 */
export class FacetPairs {
  private constructor(
    private readonly columns: number,
    private readonly cells: Int32Array,
  ) {}

  /** Counts rows × columns over the members in `slots` (the first `count`). */
  static count(
    slots: Int32Array,
    count: number,
    rows: SlotValues,
    rowCount: number,
    columns: SlotValues,
    columnCount: number,
  ): FacetPairs {
    const cells = new Int32Array(rowCount * columnCount);
    for (let i = 0; i < count; i++) {
      const slot = slots[i];
      for (let r = rows.start[slot]; r < rows.start[slot + 1]; r++) {
        const row = rows.ids[r] * columnCount;
        for (let c = columns.start[slot]; c < columns.start[slot + 1]; c++) cells[row + columns.ids[c]]++;
      }
    }
    return new FacetPairs(columnCount, cells);
  }

  /**
   * Per row value, the members that have any of `columnIds`, into `tally`. Exact when no member
   * has two of them: one column, or a facet where each member has one value (region, size, year).
   */
  rowCounts(rowIds: Int32Array, columnIds: readonly number[], tally: Int32Array): void {
    const { cells, columns } = this;
    for (let i = 0; i < rowIds.length; i++) {
      const row = rowIds[i] * columns;
      let sum = 0;
      for (let c = 0; c < columnIds.length; c++) sum += cells[row + columnIds[c]];
      tally[rowIds[i]] = sum;
    }
  }
}
