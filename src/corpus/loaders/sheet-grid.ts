/** A block of cells, 0-based and inclusive, as SheetJS decodes `A1:C3` (rows top..bottom). */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * One worksheet as text, independent of the library that read it: the cells that hold something
 * (a merged block's value sits in its top-left cell, as in the file) and the merged blocks.
 * Row and column indices are the sheet's own, so row `r` is the one the spreadsheet program
 * shows as `r + 1`.
 */
export class SheetGrid {
  private readonly rows = new Map<number, Map<number, string>>();
  private readonly mergeAt = new Map<string, CellRange>();
  readonly merges: CellRange[] = [];
  top = Infinity;
  left = Infinity;
  bottom = -1;
  right = -1;

  constructor(readonly name: string) {}

  /** Records the cell's text as shown (not yet normalized); blank text is not recorded. */
  set(r: number, c: number, text: string): void {
    let row = this.rows.get(r);
    if (!row) this.rows.set(r, (row = new Map()));
    row.set(c, text);
    this.top = Math.min(this.top, r);
    this.bottom = Math.max(this.bottom, r);
    this.left = Math.min(this.left, c);
    this.right = Math.max(this.right, c);
  }

  /** Call after the cells are set: a merge is clipped to the cells in use. */
  addMerge(m: CellRange): void {
    this.merges.push(m);
    // Templates merge whole rows or columns (A1:XFD1), far past the last cell in use; only the
    // used part can be shown, and indexing the rest would cost millions of entries.
    for (let r = m.top; r <= Math.min(m.bottom, this.bottom); r++) {
      for (let c = m.left; c <= Math.min(m.right, this.right); c++) this.mergeAt.set(`${r},${c}`, m);
    }
  }

  /** The raw text stored in this very cell ('' when empty or covered by a merge). */
  raw(r: number, c: number): string {
    return this.rows.get(r)?.get(c) ?? '';
  }

  /** The raw text shown at (r, c): a merged block shows its top-left cell's text everywhere. */
  shown(r: number, c: number): string {
    const m = this.mergeAt.get(`${r},${c}`);
    return m ? this.raw(m.top, m.left) : this.raw(r, c);
  }

  /** The merged block (r, c) lies in, if any. */
  merge(r: number, c: number): CellRange | undefined {
    return this.mergeAt.get(`${r},${c}`);
  }

  /** Row indices holding at least one cell, in order. */
  contentRows(): number[] {
    return [...this.rows.keys()].sort((a, b) => a - b);
  }

  /** Columns of row `r` that hold a cell, in order. */
  columns(r: number): number[] {
    return [...(this.rows.get(r)?.keys() ?? [])].sort((a, b) => a - b);
  }

  get empty(): boolean {
    return this.rows.size === 0;
  }
}
