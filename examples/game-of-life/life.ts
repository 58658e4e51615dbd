/**
 * Conway's Game of Life as a step kernel for pool.iterate, in AssemblyScript.
 *
 * The grid lives in the pool's shared memory as rows × cols bytes (1 alive, 0 dead) inside a
 * border of dead cells one cell wide: (rows + 2) × (cols + 2) bytes, row-major. The border is
 * the halo of the blocks at the grid's edge and is never written. Two such grids, `a` and `b`,
 * take turns: generation `iteration` reads `a` and writes `b` when it is even, the other way
 * round when odd (double buffering), so no lane reads a cell another lane is writing.
 *
 * The grid is cut into P × Q blocks (partition2d(rows, cols, { p, q }) of wasm-mp/grid; the
 * same boundaries here through wasm-mp/assembly/grid), and lane `lane` of `lanes` updates blocks
 * lane, lane + lanes, …. A block's halo is its neighbours' edge cells: in shared memory it reads
 * them where they are, and the barrier between generations makes sure they are all written.
 * Each cell's next state depends only on the previous generation, so the result has the same
 * bits for any number of lanes, as long as P and Q stay the same.
 */
import { blockCol0, blockCol1, blockRow0, blockRow1, cellAddress } from "wasm-mp/assembly/grid";

/**
 * One generation of the blocks of lane `lane`; returns how many of their cells changed, so
 * reduce "sum" gives the cells that changed in the whole grid (0: the pattern is still).
 */
export function lifeStep(lane: i32, lanes: i32, iteration: i32, a: usize, b: usize, rows: i32, cols: i32, p: i32, q: i32): f64 {
  const src = (iteration & 1) == 0 ? a : b;
  const dst = (iteration & 1) == 0 ? b : a;
  const stride = <usize>(cols + 2);
  let changed: i32 = 0;
  for (let block = lane; block < p * q; block += lanes) {
    const r1 = blockRow1(block, p, q, rows);
    const c0 = blockCol0(block, q, cols);
    const c1 = blockCol1(block, q, cols);
    for (let r = blockRow0(block, p, q, rows); r < r1; r++) {
      // +1: past the dead border
      const row = cellAddress<u8>(src, r + 1, 0, cols + 2);
      const out = cellAddress<u8>(dst, r + 1, 0, cols + 2);
      for (let c = c0 + 1; c <= c1; c++) {
        const at = row + <usize>c;
        const n = <i32>load<u8>(at - stride - 1) + <i32>load<u8>(at - stride) + <i32>load<u8>(at - stride + 1)
          + <i32>load<u8>(at - 1) + <i32>load<u8>(at + 1)
          + <i32>load<u8>(at + stride - 1) + <i32>load<u8>(at + stride) + <i32>load<u8>(at + stride + 1);
        const alive = <i32>load<u8>(at);
        const next = n == 3 || (n == 2 && alive == 1) ? 1 : 0;
        store<u8>(out + <usize>c, <u8>next);
        changed += next ^ alive;
      }
    }
  }
  return <f64>changed;
}
