/**
 * The heat plate by geometric multigrid (kernel: assembly/heat-multigrid.ts): builds the grid
 * hierarchy (heat-grid.ts multigridLevels) and its context block. heat.ts validates, fills the
 * plate and runs the team.
 */
import type { Pool } from "../pool/pool.js";
import { writeContext, type Level } from "./heat-context.js";
import { multigridLevels } from "./heat-grid.js";
import type { HeatTeam } from "./heat-team.js";

/** Cycles at most unless told: each gains more than a digit, so a tolerance not met by then cannot be (rounding). */
export const HEAT_MULTIGRID_DEFAULT_MAX_CYCLES = 100;

export function multigridTeam(pool: Pool, plate: Float64Array, n: number, members: number, stop: { tolerance: number; maxIterations: number; timeoutMs: number }): HeatTeam {
  const sizes = multigridLevels(n);
  const regions: Array<Float64Array | Int32Array> = [];
  const grid = (m: number): Float64Array => {
    // not zero-filled: the kernels write every interior cell before reading it
    const g = pool.arena.alloc(Float64Array, (m + 2) ** 2, 64, false);
    regions.push(g);
    return g;
  };
  try {
    const levels: Level[] = sizes.map((m, l) => {
      const coarsest = l === sizes.length - 1;
      if (l === 0) return { n: m, u: plate, ...(coarsest ? {} : { t: grid(m) }) };
      const u = grid(m);
      zeroEdge(u, m); // the correction is 0 on the plate's edge
      return { n: m, u, g: grid(m), ...(coarsest ? {} : { t: grid(m) }) };
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

function zeroEdge(u: Float64Array, m: number): void {
  const w = m + 2;
  u.fill(0, 0, w);
  u.fill(0, (m + 1) * w);
  for (let r = 1; r <= m; r++) {
    u[r * w] = 0;
    u[r * w + m + 1] = 0;
  }
}
