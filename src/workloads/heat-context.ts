/**
 * The context block of the red–black solvers (SOR and multigrid), in shared memory. Its layout
 * is written down once, in assembly/heat-context.ts; the constants here mirror it, and
 * test/workloads/heat-context.test.ts checks that they agree.
 */
import type { Pool } from "../pool/pool.js";

/** Byte offsets of the header and of the level records (HC_* in assembly/heat-context.ts). */
export const HC = { STARTED: 0, LEVELS: 4, SLOTS: 8, TABLES: 12, PHASES: 16, SCHEDULE: 20, LEVEL0: 64, LEVEL_BYTES: 64, SLOT_BYTES: 64, SCHEDULE_BYTES: 16 } as const;
/** Byte offsets within a level record (LV_* in assembly/heat-context.ts), and the transfer tables' room per level. */
export const LV = { N: 0, U: 4, G: 8, T: 12, J: 16, A: 20, B: 24, LO: 28, HI: 32, TABLE_BYTES_PER_CELL: 24 } as const;
/** Byte offsets within a lane's slot (SLOT_* in assembly/heat-context.ts). */
export const SLOT = { RESIDUAL: 0, CHANGE: 8, INNER: 16, INNER_SCRATCH: 24, INNER_CHANGE: 32 } as const;
/** What a multigrid phase does (OP_* in assembly/heat-context.ts). */
export const OP = { INNER: 0, EDGES: 1, FOLLOW: 2, RESTRICT: 3, PROLONG: 4, SERIAL: 5 } as const;
/** What a sweep does with rows it has made final (FOLLOW_* in assembly/heat-relax.ts). */
export const FOLLOW = { NONE: 0, RED_RESIDUAL: 1, RESTRICT: 2 } as const;

/** One grid of the hierarchy, finest first. `g` is absent on the finest (Laplace's equation). */
export interface Level {
  n: number;
  u: Float64Array;
  g?: Float64Array;
  /** Scratch for restricting the residual; absent on the coarsest level. */
  t?: Float64Array;
}

/** A phase of a multigrid cycle: [op, level, follow, track] (the schedule's entries). */
export type Phase = readonly [op: number, level: number, follow: number, track: number];

/**
 * Allocates the context block for `levels` and `lanes`, zeroed, and writes the level records'
 * grids, the slot pointer, the schedule (multigrid) and the room for the transfer tables, which
 * the multigrid kernel fills itself.
 */
export function writeContext(pool: Pool, levels: Level[], lanes: number, schedule: readonly Phase[] = []): Int32Array {
  const slots = HC.LEVEL0 + levels.length * HC.LEVEL_BYTES;
  const phases = slots + 2 * lanes * HC.SLOT_BYTES;
  const tables = phases + align64(schedule.length * HC.SCHEDULE_BYTES);
  let bytes = tables;
  for (const level of levels.slice(0, -1)) bytes += LV.TABLE_BYTES_PER_CELL * (level.n + 2) + 64;
  const ctl = pool.alloc(Int32Array, bytes / 4);
  ctl[HC.LEVELS / 4] = levels.length;
  ctl[HC.SLOTS / 4] = ctl.byteOffset + slots;
  ctl[HC.TABLES / 4] = ctl.byteOffset + tables;
  ctl[HC.PHASES / 4] = schedule.length;
  ctl[HC.SCHEDULE / 4] = ctl.byteOffset + phases;
  schedule.forEach((entry, p) => ctl.set(entry, (phases + p * HC.SCHEDULE_BYTES) / 4));
  levels.forEach((level, l) => {
    const record = (HC.LEVEL0 + l * HC.LEVEL_BYTES) / 4;
    ctl[record + LV.N / 4] = level.n;
    ctl[record + LV.U / 4] = level.u.byteOffset;
    ctl[record + LV.G / 4] = level.g?.byteOffset ?? 0;
    ctl[record + LV.T / 4] = level.t?.byteOffset ?? 0;
  });
  return ctl;
}

/** The maxima of iteration k over the lanes' slots: the largest change, and the residual as the kernels scale it (heat-solver.ts residualOfSlot). */
export function iterationMaxima(ctl: Int32Array, lanes: number, k: number): { maxDiff: number; residual: number } {
  const n = ctl[(HC.LEVEL0 + LV.N) / 4]!;
  const set = ctl[HC.SLOTS / 4]! + (k & 1) * lanes * HC.SLOT_BYTES;
  const f64 = new Float64Array(ctl.buffer, set, (lanes * HC.SLOT_BYTES) / 8);
  let change = 0;
  let t = 0;
  for (let m = 0; m < lanes; m++) {
    change = Math.max(change, f64[(m * HC.SLOT_BYTES + SLOT.CHANGE) / 8]!);
    t = Math.max(t, f64[(m * HC.SLOT_BYTES + SLOT.RESIDUAL) / 8]!);
  }
  return { maxDiff: change, residual: t * ((n + 1) * (n + 1)) };
}

/**
 * The latest iteration whose maxima can be read, from `done` iterations the pool reports done:
 * iteration k's RESIDUAL and CHANGE fields are rewritten only in iteration k + 2, and lane 0
 * announces it in the started word before any lane writes them; so a read of iteration
 * done − 1 is whole when `started` has not passed `done` after it (else at least `started`
 * iterations are done: read again from there).
 */
export function latestMaxima(ctl: Int32Array, lanes: number, done: number): { iteration: number; maxDiff: number; residual: number } {
  for (;;) {
    if (done === 0) return { iteration: 0, maxDiff: Infinity, residual: Infinity };
    const maxima = iterationMaxima(ctl, lanes, done - 1);
    const started = Atomics.load(ctl, HC.STARTED / 4);
    if (started <= done) return { iteration: done, ...maxima };
    done = started;
  }
}

function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
