/**
 * Grid helpers for step kernels (pool.iterate): the block and block-cyclic decompositions of
 * wasm-mp/grid (src/plan/partition2d.ts, src/plan/partition2d-cyclic.ts), computed the same way
 * in the kernel, and the byte address of a cell. In your project:
 *
 *   import { blockRow0, blockRow1, blockCol0, blockCol1, cellAddress } from "wasm-mp/assembly/grid";
 *
 * (asc finds node_modules/wasm-mp/assembly/grid.ts). Nothing here allocates or keeps state, so
 * it fits the rules of a kernel; every function inlines.
 */

/** The i-th of n balanced boundaries over [0, length): ⌊i·length/n⌋, as partition2d computes them. */
// @ts-ignore: decorator
@inline export function boundary(i: i32, n: i32, length: i32): i32 {
  return <i32>((<i64>i * <i64>length) / <i64>n);
}

/** First row of block `index` of partition2d(rows, cols, { p, q }) (blocks row-major: index = bp·q + bq). */
// @ts-ignore: decorator
@inline export function blockRow0(index: i32, p: i32, q: i32, rows: i32): i32 {
  return boundary(index / q, p, rows);
}

/** One past the last row of block `index`. */
// @ts-ignore: decorator
@inline export function blockRow1(index: i32, p: i32, q: i32, rows: i32): i32 {
  return boundary(index / q + 1, p, rows);
}

/** First column of block `index`. */
// @ts-ignore: decorator
@inline export function blockCol0(index: i32, q: i32, cols: i32): i32 {
  return boundary(index % q, q, cols);
}

/** One past the last column of block `index`. */
// @ts-ignore: decorator
@inline export function blockCol1(index: i32, q: i32, cols: i32): i32 {
  return boundary(index % q + 1, q, cols);
}

/**
 * The owner (op·q + oq) of cell (row, col) under blockCyclic2d with tiles of tileRows × tileCols
 * dealt to P × Q owners (cyclic2d: tiles of 1 × 1).
 */
// @ts-ignore: decorator
@inline export function cyclicOwner(row: i32, col: i32, tileRows: i32, tileCols: i32, p: i32, q: i32): i32 {
  return ((row / tileRows) % p) * q + (col / tileCols) % q;
}

/**
 * Byte address of cell (row, col) of a row-major grid at `base` whose rows are `stride` cells
 * apart, cells of `T` (u8, f32, f64, …): load<T>(cellAddress<T>(…)). With a halo of h ghost
 * cells, pass row + h and col + h and stride = cols + 2h.
 */
// @ts-ignore: decorator
@inline export function cellAddress<T>(base: usize, row: i32, col: i32, stride: i32): usize {
  return base + ((<usize>row * <usize>stride + <usize>col) << alignof<T>());
}
