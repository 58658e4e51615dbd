/**
 * The same step kernel as life.ts, in plain JavaScript: createPool({ module: "…/life-kernels.mjs" })
 * loads this module in every worker. Same grid layout, same blocks, same result bit for bit.
 */
import { partition2d } from "wasm-mp/grid";

let memory;

/** Called once in each worker (and in the calling thread) with the pool's shared memory. */
export function init(m) {
  memory = m;
}

let cached;
/** The blocks of a rows × cols grid cut P × Q, computed once per shape (a kernel call should not allocate much). */
function blocksOf(rows, cols, p, q) {
  if (!cached || cached.rows !== rows || cached.cols !== cols || cached.p !== p || cached.q !== q) cached = partition2d(rows, cols, { p, q });
  return cached.blocks;
}

/** One generation of the blocks of lane `lane` (see life.ts); returns how many of their cells changed. */
export function lifeStep(lane, lanes, iteration, a, b, rows, cols, p, q) {
  // a fresh view each call: the memory may have grown since the last one
  const cells = new Uint8Array(memory.buffer);
  const src = (iteration & 1) === 0 ? a : b;
  const dst = (iteration & 1) === 0 ? b : a;
  const stride = cols + 2;
  const blocks = blocksOf(rows, cols, p, q);
  let changed = 0;
  for (let k = lane; k < blocks.length; k += lanes) {
    const { row0, row1, col0, col1 } = blocks[k];
    for (let r = row0 + 1; r <= row1; r++) {
      for (let c = col0 + 1; c <= col1; c++) {
        const at = src + r * stride + c;
        const n = cells[at - stride - 1] + cells[at - stride] + cells[at - stride + 1] + cells[at - 1] + cells[at + 1]
          + cells[at + stride - 1] + cells[at + stride] + cells[at + stride + 1];
        const alive = cells[at];
        const next = n === 3 || (n === 2 && alive === 1) ? 1 : 0;
        cells[dst + r * stride + c] = next;
        changed += next ^ alive;
      }
    }
  }
  return changed;
}
