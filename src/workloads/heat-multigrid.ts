/**
 * The heat plate by geometric multigrid (kernel: assembly/heat-multigrid.ts): builds the grid
 * hierarchy and its context block. heat.ts validates, fills the plate and runs the team.
 */
import type { Pool } from "../pool/pool.js";
import { writeContext, type Level } from "./heat-context.js";
import type { HeatTeam } from "./heat-team.js";

/** Cycles at most unless told: each gains more than a digit, so a tolerance not met by then cannot be (rounding). */
export const HEAT_MULTIGRID_DEFAULT_MAX_CYCLES = 100;

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

export function multigridTeam(pool: Pool, plate: Float64Array, n: number, members: number, stop: { tolerance: number; maxIterations: number; timeoutMs: number }): HeatTeam {
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
    const ctl = writeContext(pool, levels, members);
    regions.push(ctl);
    return {
      kernel: "heatMultigridSolve",
      args: [members, ctl.byteOffset, stop.tolerance, stop.maxIterations, stop.timeoutMs],
      ctl,
      regions,
      grid: () => plate,
    };
  } catch (e) {
    for (const r of regions) pool.free(r);
    throw e;
  }
}

