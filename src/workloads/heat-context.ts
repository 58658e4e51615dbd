/**
 * The context block of the red–black solvers (SOR and multigrid), in shared memory. Its layout
 * is written down once, in assembly/heat-context.ts; the constants here mirror it, and
 * test/workloads/heat-context.test.ts checks that they agree.
 */
import type { Pool } from "../pool/pool.js";

/** Byte offsets of the header and of the level records (HC_* in assembly/heat-context.ts). */
export const HC = { STATUS: 64, ITERATIONS: 68, MAX_DIFF: 72, RESIDUAL: 80, LEVELS: 88, SLOTS: 92, TABLES: 96, LEVEL0: 128, LEVEL_BYTES: 64, SLOT_BYTES: 64 } as const;
/** Byte offsets within a level record (LV_* in assembly/heat-context.ts), and the transfer tables' room per level. */
export const LV = { N: 0, U: 4, G: 8, T: 12, J: 16, A: 20, B: 24, LO: 28, HI: 32, TABLE_BYTES_PER_CELL: 24 } as const;

/** One grid of the hierarchy, finest first. `g` is absent on the finest (Laplace's equation). */
export interface Level {
  n: number;
  u: Float64Array;
  g?: Float64Array;
  /** Scratch for restricting the residual; absent on the coarsest level. */
  t?: Float64Array;
}

/**
 * Allocates the context block for `levels` and `members`, zeroed, and writes the level
 * records' grids, the slot pointer and the room for the transfer tables, which the multigrid
 * kernel fills itself. The barrier (at +0) is left for the caller to initialise.
 */
export function writeContext(pool: Pool, levels: Level[], members: number): Int32Array {
  const slots = HC.LEVEL0 + levels.length * HC.LEVEL_BYTES;
  const tables = slots + 2 * members * HC.SLOT_BYTES;
  let bytes = tables;
  for (const level of levels.slice(0, -1)) bytes += LV.TABLE_BYTES_PER_CELL * (level.n + 2) + 64;
  const ctl = pool.alloc(Int32Array, bytes / 4);
  ctl[HC.LEVELS / 4] = levels.length;
  ctl[HC.SLOTS / 4] = ctl.byteOffset + slots;
  ctl[HC.TABLES / 4] = ctl.byteOffset + tables;
  levels.forEach((level, l) => {
    const record = (HC.LEVEL0 + l * HC.LEVEL_BYTES) / 4;
    ctl[record + LV.N / 4] = level.n;
    ctl[record + LV.U / 4] = level.u.byteOffset;
    ctl[record + LV.G / 4] = level.g?.byteOffset ?? 0;
    ctl[record + LV.T / 4] = level.t?.byteOffset ?? 0;
  });
  return ctl;
}
