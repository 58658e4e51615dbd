/**
 * The heat plate by geometric multigrid (kernel: assembly/heat-multigrid.ts heatMultigridStep):
 * builds the grid hierarchy, the schedule of a V-cycle's phases and the context block. heat.ts
 * validates, fills the plate and runs the step kernel under Pool.iterate, one V-cycle per
 * iteration.
 */
import type { Pool } from "../pool/pool.js";
import { FOLLOW, OP, latestMaxima, writeContext, type Level, type Phase } from "./heat-context.js";
import type { HeatSolve } from "./heat-solve.js";

/** Cycles at most unless told: each gains more than a digit, so a tolerance not met by then cannot be (rounding). */
export const HEAT_MULTIGRID_DEFAULT_MAX_CYCLES = 100;

/** Red–black sweeps before and after the coarse-grid correction, and on the coarsest grid (as in assembly/heat-multigrid.ts). */
const PRE_SWEEPS = 2;
const POST_SWEEPS = 2;
const COARSEST_SWEEPS = 16;
/**
 * A level with fewer rows than this per lane, and the rest of the V-cycle below it, is one
 * phase of lane 0 alone while the others wait at the barrier: there a phase's work per lane is
 * below a few µs, no more than the barrier after it (11 per level and cycle). Who does a row
 * changes no bit.
 */
const SERIAL_ROWS_PER_LANE = 32;

/**
 * The multigrid hierarchy: interior cells per side of each grid, finest (N) first. A grid of n
 * cells coarsens to m = ⌊(n − 1)/2⌋ (for odd n the even-indexed cells, exactly; for even n a
 * grid whose cells do not all sit on fine cells), down to a grid of 1 or 2 cells.
 */
export function multigridLevels(size: number): number[] {
  const levels = [size];
  while (levels.at(-1)! >= 3) levels.push((levels.at(-1)! - 1) >> 1);
  return levels;
}

/**
 * The phases of one V-cycle on `lanes` lanes, in order; the lanes meet after each. A red–black
 * sweep is three phases (heat-solver.ts: the one-pass part, the edge rows, and `follow` on the
 * rows the pass could not reach — only where there is something to follow); between levels come
 * the restriction's column pass (after the last pre-smoothing sweep, which also made the row
 * pass) and the prolongation. The plate's last sweep is tracked: its maxima go to the lanes'
 * slots, and the cycle ends with the red cells' residual.
 */
export function multigridSchedule(sizes: readonly number[], lanes: number): Phase[] {
  const phases: Phase[] = [];
  const smooth = (l: number, sweeps: number, follow: number, track: number): void => {
    for (let s = 0; s < sweeps; s++) {
      const last = s === sweeps - 1;
      const f = last ? follow : FOLLOW.NONE;
      const t = last ? track : 0;
      phases.push([OP.INNER, l, f, t], [OP.EDGES, l, f, t]);
      if (f !== FOLLOW.NONE) phases.push([OP.FOLLOW, l, f, t]);
    }
  };
  const cycle = (l: number): void => {
    const track = l === 0 ? 1 : 0;
    const last = track ? FOLLOW.RED_RESIDUAL : FOLLOW.NONE;
    if (lanes > 1 && sizes[l]! < SERIAL_ROWS_PER_LANE * lanes) {
      phases.push([OP.SERIAL, l, FOLLOW.NONE, track]);
    } else if (l === sizes.length - 1) {
      smooth(l, COARSEST_SWEEPS, last, track);
    } else {
      smooth(l, PRE_SWEEPS, FOLLOW.RESTRICT, 0);
      phases.push([OP.RESTRICT, l, FOLLOW.NONE, 0]);
      cycle(l + 1);
      phases.push([OP.PROLONG, l, FOLLOW.NONE, 0]);
      smooth(l, POST_SWEEPS, last, track);
    }
  };
  cycle(0);
  // lane 0 fills the transfer tables as it starts phase 0 of the first cycle: no other lane may
  // need them before the barrier after it (assembly/heat-multigrid.ts)
  const [op, , follow] = phases[0]!;
  if (!(op === OP.SERIAL || (op === OP.INNER && follow === FOLLOW.NONE) || sizes.length === 1)) throw new Error("multigrid schedule: phase 0 reads the transfer tables");
  return phases;
}

export function multigridSolve(pool: Pool, plate: Float64Array, n: number, lanes: number): HeatSolve {
  const sizes = multigridLevels(n);
  const regions: Array<Float64Array | Int32Array> = [];
  // not zero-filled, but the corrections (whose edge must be 0): the kernels write every
  // interior cell before reading it
  const grid = (m: number, zero = false): Float64Array => {
    const g = pool.arena.alloc(Float64Array, (m + 2) ** 2, 64, zero);
    regions.push(g);
    return g;
  };
  try {
    const levels: Level[] = sizes.map((m, l) => {
      const t = l < sizes.length - 1 ? { t: grid(m) } : {};
      return l === 0 ? { n: m, u: plate, ...t } : { n: m, u: grid(m, true), g: grid(m), ...t };
    });
    const schedule = multigridSchedule(sizes, lanes);
    const ctl = writeContext(pool, levels, lanes, schedule);
    regions.push(ctl);
    return {
      kernel: "heatMultigridStep",
      args: [ctl.byteOffset],
      phases: schedule.length,
      regions,
      grid: () => plate,
      maxima: (done) => latestMaxima(ctl, lanes, done),
    };
  } catch (e) {
    for (const r of regions) pool.free(r);
    throw e;
  }
}
