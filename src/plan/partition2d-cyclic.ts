/**
 * Cyclic and block-cyclic decompositions of a 2-D grid of rows × cols cells — the 2-D forms of
 * partition.ts's cyclic and block-cyclic schemes, as ScaLAPACK distributes a matrix:
 *
 *   the grid is cut into tiles of tileRows × tileCols cells (the last tile of a row or column
 *   of tiles may be smaller), and tile (ti, tj) belongs to owner (ti mod P, tj mod Q) of a
 *   P × Q grid of owners; owner index = op · Q + oq.
 *
 *   cyclic:        tiles of one cell ("rows": of one whole row; "columns": of one whole column);
 *   block-cyclic:  tiles of tileRows × tileCols cells dealt round-robin in both directions.
 *
 *        tj:  0   1   2   3   4          P × Q = 2 × 2 owners, 3 × 5 tiles:
 *   ti 0    [ 0 | 1 | 0 | 1 | 0 ]        every owner gets tiles from every part of the grid,
 *   ti 1    [ 2 | 3 | 2 | 3 | 2 ]        so work that varies across the grid (a front that
 *   ti 2    [ 0 | 1 | 0 | 1 | 0 ]        moves, a region that converges early) is shared out.
 *
 * Which owner holds a cell depends only on the grid, the tile size and P, Q — never on the
 * worker count. A solver whose result must not depend on the workers keeps these fixed and lets
 * lane l take owners l, l + lanes, … (or any lane any owner): each cell is computed the same
 * way whoever computes it. Owners' cells can be stored packed, owner by owner: localShape gives
 * an owner's share and localIndex / globalCell map between a cell and its place in that share.
 */
import { invalid } from "../errors.js";
import * as check from "../validate.js";

export type Cyclic2dScheme = "rows" | "columns" | "blocks";

export interface Cyclic2dOptions {
  /** "rows" (P × 1 owners, tiles of whole rows), "columns" (1 × Q, whole columns) or "blocks" (P × Q). Default "blocks". */
  scheme?: Cyclic2dScheme;
  /** Owners down (rows and blocks schemes). */
  p?: number;
  /** Owners across (columns and blocks schemes). */
  q?: number;
}

export interface BlockCyclic2dOptions extends Cyclic2dOptions {
  /** Rows of a tile (rows and blocks schemes). Default 1: cyclic. */
  tileRows?: number;
  /** Columns of a tile (columns and blocks schemes). Default 1: cyclic. */
  tileCols?: number;
}

export interface BlockCyclic2d {
  rows: number;
  cols: number;
  /** Owners down and across; owners = p · q. */
  p: number;
  q: number;
  owners: number;
  /** A tile's rows and columns ("rows": tileCols = cols; "columns": tileRows = rows). */
  tileRows: number;
  tileCols: number;
  /** Tiles down and across: ⌈rows / tileRows⌉, ⌈cols / tileCols⌉. */
  tilesDown: number;
  tilesAcross: number;
}

/** One tile: rows [row0, row1), columns [col0, col1); (ti, tj) its place, owner = op · q + oq. */
export interface Tile2d {
  /** Row-major tile index: ti · tilesAcross + tj. */
  index: number;
  ti: number;
  tj: number;
  owner: number;
  op: number;
  oq: number;
  row0: number;
  row1: number;
  col0: number;
  col1: number;
}

/** The owners of the tiles next to a tile (owner indices), or -1 at the grid's edge. */
export interface TileNeighbours {
  north: number;
  south: number;
  west: number;
  east: number;
}

const MAX_CELLS = 2 ** 53;

/** Cyclic: tiles of one cell (of one row for "rows", one column for "columns"). */
export function cyclic2d(rows: number, cols: number, options: Cyclic2dOptions = {}): BlockCyclic2d {
  const o = check.options<Cyclic2dOptions>("cyclic2d", options);
  for (const key of ["tileRows", "tileCols"]) {
    if (key in o) throw invalid(key, (o as Record<string, unknown>)[key], "absent: cyclic2d deals tiles of one cell (give blockCyclic2d a tile size)");
  }
  return blockCyclic2d(rows, cols, o);
}

export function blockCyclic2d(rows: number, cols: number, options: BlockCyclic2dOptions = {}): BlockCyclic2d {
  check.integer("rows", rows, 1, MAX_CELLS);
  check.integer("cols", cols, 1, MAX_CELLS);
  const o = check.options<BlockCyclic2dOptions>("blockCyclic2d", options);
  const scheme = o.scheme === undefined ? "blocks" : check.oneOf("scheme", o.scheme, ["rows", "columns", "blocks"] as const);
  // a "rows" tile spans every column and a "columns" tile every row: there is one owner across (down)
  const tileRows = scheme === "columns" ? check.integer("tileRows", o.tileRows ?? rows, rows, rows) : check.integer("tileRows", o.tileRows ?? 1, 1, rows);
  const tileCols = scheme === "rows" ? check.integer("tileCols", o.tileCols ?? cols, cols, cols) : check.integer("tileCols", o.tileCols ?? 1, 1, cols);
  const tilesDown = Math.ceil(rows / tileRows);
  const tilesAcross = Math.ceil(cols / tileCols);
  // every owner gets at least one tile: more owners than tiles would leave some with no cells
  const p = scheme === "columns" ? check.integer("p", o.p ?? 1, 1, 1) : check.integer("p", o.p, 1, tilesDown);
  const q = scheme === "rows" ? check.integer("q", o.q ?? 1, 1, 1) : check.integer("q", o.q, 1, tilesAcross);
  return { rows, cols, p, q, owners: p * q, tileRows, tileCols, tilesDown, tilesAcross };
}

function tileAt(d: BlockCyclic2d, ti: number, tj: number): Tile2d {
  const op = ti % d.p;
  const oq = tj % d.q;
  return {
    index: ti * d.tilesAcross + tj, ti, tj, owner: op * d.q + oq, op, oq,
    row0: ti * d.tileRows, row1: Math.min(d.rows, (ti + 1) * d.tileRows),
    col0: tj * d.tileCols, col1: Math.min(d.cols, (tj + 1) * d.tileCols),
  };
}

function checkCell(d: BlockCyclic2d, row: number, col: number): void {
  check.integer("row", row, 0, d.rows - 1);
  check.integer("col", col, 0, d.cols - 1);
}

function checkOwner(d: BlockCyclic2d, owner: number): void {
  check.integer("owner", owner, 0, d.owners - 1);
}

/** The owner index (op · q + oq) of cell (row, col). */
export function ownerOf(d: BlockCyclic2d, row: number, col: number): number {
  checkCell(d, row, col);
  return (Math.floor(row / d.tileRows) % d.p) * d.q + (Math.floor(col / d.tileCols) % d.q);
}

/** The tile holding cell (row, col). */
export function tileOf(d: BlockCyclic2d, row: number, col: number): Tile2d {
  checkCell(d, row, col);
  return tileAt(d, Math.floor(row / d.tileRows), Math.floor(col / d.tileCols));
}

/** The tiles of `owner`, in row-major tile order. */
export function tilesOf(d: BlockCyclic2d, owner: number): Tile2d[] {
  checkOwner(d, owner);
  const op = Math.floor(owner / d.q);
  const oq = owner % d.q;
  const tiles: Tile2d[] = [];
  for (let ti = op; ti < d.tilesDown; ti += d.p) {
    for (let tj = oq; tj < d.tilesAcross; tj += d.q) tiles.push(tileAt(d, ti, tj));
  }
  return tiles;
}

/**
 * The cells of `owner` as row ranges × column ranges ([start, end) pairs, increasing): it owns
 * cell (r, c) exactly when r lies in one of `rows` and c in one of `cols`.
 */
export function ownedRanges(d: BlockCyclic2d, owner: number): { rows: Array<[number, number]>; cols: Array<[number, number]> } {
  checkOwner(d, owner);
  const ranges = (first: number, stride: number, tile: number, length: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let start = first * tile; start < length; start += stride * tile) out.push([start, Math.min(length, start + tile)]);
    return out;
  };
  return {
    rows: ranges(Math.floor(owner / d.q), d.p, d.tileRows, d.rows),
    cols: ranges(owner % d.q, d.q, d.tileCols, d.cols),
  };
}

/** How many of `length` indices, in tiles of `tile` dealt over `n` owners, owner `k` gets (ScaLAPACK's NUMROC). */
function share(length: number, tile: number, n: number, k: number): number {
  const tiles = Math.floor(length / tile);          // whole tiles
  let count = Math.floor(tiles / n) * tile;          // whole rounds of n tiles
  const extra = tiles % n;                           // whole tiles of the last round
  if (k < extra) count += tile;
  else if (k === extra) count += length % tile;      // the cut-off last tile, if any
  return count;
}

/** The rows and columns of `owner`'s cells, stored packed (row-major) in that owner's own storage. */
export function localShape(d: BlockCyclic2d, owner: number): { rows: number; cols: number; cells: number } {
  checkOwner(d, owner);
  const rows = share(d.rows, d.tileRows, d.p, Math.floor(owner / d.q));
  const cols = share(d.cols, d.tileCols, d.q, owner % d.q);
  return { rows, cols, cells: rows * cols };
}

/** Where cell (row, col) lives: its owner and its index in the owner's packed row-major storage. */
export function localIndex(d: BlockCyclic2d, row: number, col: number): { owner: number; index: number } {
  checkCell(d, row, col);
  const ti = Math.floor(row / d.tileRows);
  const tj = Math.floor(col / d.tileCols);
  const localRow = Math.floor(ti / d.p) * d.tileRows + (row % d.tileRows);
  const localCol = Math.floor(tj / d.q) * d.tileCols + (col % d.tileCols);
  const owner = (ti % d.p) * d.q + (tj % d.q);
  return { owner, index: localRow * share(d.cols, d.tileCols, d.q, tj % d.q) + localCol };
}

/** The grid cell [row, col] stored at `index` of `owner`'s packed storage (the inverse of localIndex). */
export function globalCell(d: BlockCyclic2d, owner: number, index: number): [number, number] {
  const shape = localShape(d, owner);
  check.integer("index", index, 0, shape.cells - 1);
  const localRow = Math.floor(index / shape.cols);
  const localCol = index % shape.cols;
  const op = Math.floor(owner / d.q);
  const oq = owner % d.q;
  const row = (Math.floor(localRow / d.tileRows) * d.p + op) * d.tileRows + (localRow % d.tileRows);
  const col = (Math.floor(localCol / d.tileCols) * d.q + oq) * d.tileCols + (localCol % d.tileCols);
  return [row, col];
}

/**
 * The owners of the four tiles next to tile `index`, -1 at the grid's edge: where a halo of up
 * to one tile's width comes from (haloLayout(tile, halo) gives its storage). A wider halo reaches
 * past the next tile; ask ownerOf for each of its cells.
 */
export function tileNeighbours(d: BlockCyclic2d, index: number): TileNeighbours {
  const tiles = d.tilesDown * d.tilesAcross;
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= tiles) {
    throw invalid("index", index, `a tile index from 0 to ${tiles - 1}`);
  }
  const ti = Math.floor(index / d.tilesAcross);
  const tj = index % d.tilesAcross;
  const owner = (i: number, j: number) => (i % d.p) * d.q + (j % d.q);
  return {
    north: ti > 0 ? owner(ti - 1, tj) : -1,
    south: ti < d.tilesDown - 1 ? owner(ti + 1, tj) : -1,
    west: tj > 0 ? owner(ti, tj - 1) : -1,
    east: tj < d.tilesAcross - 1 ? owner(ti, tj + 1) : -1,
  };
}
