/**
 * The heat plate by red–black SOR (kernel: assembly/heat-sor.ts): the plate's one grid, solved
 * in place, and a context block with one level. heat.ts validates, fills the plate and runs the team.
 */
import type { Pool } from "../pool/pool.js";
import { writeContext } from "./heat-context.js";
import type { HeatTeam } from "./heat-team.js";

/**
 * The optimal over-relaxation factor for the 5-point Laplacian on an N×N grid with Dirichlet
 * edges: ω = 2/(1 + sin(π/(N+1))), from Jacobi's spectral radius cos(π/(N+1)) (Young 1954).
 */
export function sorOmega(n: number): number {
  return 2 / (1 + Math.sin(Math.PI / (n + 1)));
}

export function sorTeam(pool: Pool, plate: Float64Array, n: number, members: number, stop: { tolerance: number; maxIterations: number; timeoutMs: number }): HeatTeam {
  const ctl = writeContext(pool, [{ n, u: plate }], members);
  return {
    kernel: "heatSorSolve",
    args: [members, ctl.byteOffset, sorOmega(n), stop.tolerance, stop.maxIterations, stop.timeoutMs],
    ctl,
    regions: [ctl],
    grid: () => plate,
  };
}
