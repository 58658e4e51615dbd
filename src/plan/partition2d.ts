/**
 * Domain decomposition of a 2-D grid of rows × cols cells: row blocks, column blocks, or a
 * P × Q grid of blocks. Boundaries are balanced (block sizes differ by at most one) and depend
 * only on the grid and the block counts you choose — never on the worker count, so a solver
 * whose result must not depend on the workers keeps P and Q fixed and lets any lane take any
 * block. Each block knows its neighbours, and haloLayout gives the index arithmetic of a block
 * stored with ghost cells around it (the halo a stencil reads from its neighbours).
 */
import { invalid } from "../errors.js";
import * as check from "../validate.js";

export type Partition2dScheme = "rows" | "columns" | "blocks";

export interface Partition2dOptions {
  /** "rows" (P × 1), "columns" (1 × Q) or "blocks" (P × Q). Default "blocks". */
  scheme?: Partition2dScheme;
  /** Blocks down (rows and blocks schemes). */
  p?: number;
  /** Blocks across (columns and blocks schemes). */
  q?: number;
}

/** One block: rows [row0, row1), columns [col0, col1); (bp, bq) its place in the P × Q grid. */
export interface Block2d {
  index: number;
  bp: number;
  bq: number;
  row0: number;
  row1: number;
  col0: number;
  col1: number;
}

export interface Partition2d {
  rows: number;
  cols: number;
  p: number;
  q: number;
  /** Row-major by (bp, bq): block index = bp · q + bq. */
  blocks: Block2d[];
}

/** Where block index's neighbours are (block indices), or -1 at the grid's edge. */
export interface Neighbours {
  north: number;
  south: number;
  west: number;
  east: number;
}

const MAX_CELLS = 2 ** 53;

/** The i-th of n balanced boundaries over [0, length): ⌊i·length/n⌋. */
function boundary(i: number, n: number, length: number): number {
  return Math.floor((i * length) / n);
}

export function partition2d(rows: number, cols: number, options: Partition2dOptions = {}): Partition2d {
  check.integer("rows", rows, 1, MAX_CELLS);
  check.integer("cols", cols, 1, MAX_CELLS);
  const o = check.options<Partition2dOptions>("partition2d", options);
  const scheme = o.scheme === undefined ? "blocks" : check.oneOf("scheme", o.scheme, ["rows", "columns", "blocks"] as const);
  const p = scheme === "columns" ? check.integer("p", o.p ?? 1, 1, 1) : check.integer("p", o.p, 1, rows);
  const q = scheme === "rows" ? check.integer("q", o.q ?? 1, 1, 1) : check.integer("q", o.q, 1, cols);
  const blocks: Block2d[] = [];
  for (let bp = 0; bp < p; bp++) {
    for (let bq = 0; bq < q; bq++) {
      blocks.push({
        index: bp * q + bq, bp, bq,
        row0: boundary(bp, p, rows), row1: boundary(bp + 1, p, rows),
        col0: boundary(bq, q, cols), col1: boundary(bq + 1, q, cols),
      });
    }
  }
  return { rows, cols, p, q, blocks };
}

/** The block holding cell (row, col). */
export function blockOf(part: Partition2d, row: number, col: number): Block2d {
  check.integer("row", row, 0, part.rows - 1);
  check.integer("col", col, 0, part.cols - 1);
  // start from the estimate ⌊row·p/rows⌋ and step to the block whose boundaries hold the cell
  let bp = Math.min(part.p - 1, Math.floor((row * part.p) / part.rows));
  while (boundary(bp, part.p, part.rows) > row) bp--;
  while (boundary(bp + 1, part.p, part.rows) <= row) bp++;
  let bq = Math.min(part.q - 1, Math.floor((col * part.q) / part.cols));
  while (boundary(bq, part.q, part.cols) > col) bq--;
  while (boundary(bq + 1, part.q, part.cols) <= col) bq++;
  return part.blocks[bp * part.q + bq]!;
}

export function neighbours(part: Partition2d, index: number): Neighbours {
  const block = part.blocks[index];
  if (!block) throw invalid("index", index, `a block index from 0 to ${part.blocks.length - 1}`);
  const { bp, bq } = block;
  return {
    north: bp > 0 ? index - part.q : -1,
    south: bp < part.p - 1 ? index + part.q : -1,
    west: bq > 0 ? index - 1 : -1,
    east: bq < part.q - 1 ? index + 1 : -1,
  };
}

/**
 * A block stored with `halo` ghost cells on every side, row-major: (row1 − row0 + 2·halo) rows
 * of (col1 − col0 + 2·halo) cells. `at(row, col)` takes grid coordinates — the block's own cells
 * and its ghost cells (up to `halo` beyond each edge) — and gives the index in that storage.
 */
export interface HaloLayout {
  halo: number;
  /** Stored rows and columns, ghosts included. */
  rows: number;
  cols: number;
  /** Cells stored: rows · cols. */
  cells: number;
  at(row: number, col: number): number;
}

/** A block of partition2d or a tile of blockCyclic2d: any rectangle of the grid. */
export type Rect2d = Pick<Block2d, "row0" | "row1" | "col0" | "col1">;

export function haloLayout(block: Rect2d, halo = 1): HaloLayout {
  check.integer("halo", halo, 0, 2 ** 31);
  const rows = block.row1 - block.row0 + 2 * halo;
  const cols = block.col1 - block.col0 + 2 * halo;
  return {
    halo, rows, cols, cells: rows * cols,
    at(row, col) {
      const r = row - block.row0 + halo;
      const c = col - block.col0 + halo;
      if (r < 0 || r >= rows || c < 0 || c >= cols) throw invalid("cell", [row, col], `a cell of the block or of its halo (rows ${block.row0 - halo}…${block.row1 + halo - 1}, cols ${block.col0 - halo}…${block.col1 + halo - 1})`);
      return r * cols + c;
    },
  };
}

/** Double buffering: which of two buffers a step reads and which it writes (step 0 reads `a`). */
export function doubleBuffer<T>(a: T, b: T, step: number): { read: T; write: T } {
  return step % 2 === 0 ? { read: a, write: b } : { read: b, write: a };
}
