/**
 * The heat plate by red–black SOR (kernel: assembly/heat-sor.ts heatSorStep): the plate's one
 * grid, solved in place, and a context block with one level. heat.ts validates, fills the plate
 * and runs the step kernel under Pool.iterate, three phases per sweep.
 */
import type { Pool } from "../pool/pool.js";
import { latestMaxima, writeContext } from "./heat-context.js";
import type { HeatSolve } from "./heat-solve.js";

/** Phases per sweep (SOR_PHASES in assembly/heat-sor.ts): the one-pass sweep, its edge rows, the red residual of the rows it could not reach. */
const SOR_PHASES = 3;

/**
 * The optimal over-relaxation factor for the 5-point Laplacian on an N×N grid with Dirichlet
 * edges: ω = 2/(1 + sin(π/(N+1))), from Jacobi's spectral radius cos(π/(N+1)) (Young 1954).
 */
export function sorOmega(n: number): number {
  return 2 / (1 + Math.sin(Math.PI / (n + 1)));
}

export function sorSolve(pool: Pool, plate: Float64Array, n: number, lanes: number): HeatSolve {
  const ctl = writeContext(pool, [{ n, u: plate }], lanes);
  return {
    kernel: "heatSorStep",
    args: [ctl.byteOffset, sorOmega(n)],
    phases: SOR_PHASES,
    regions: [ctl],
    grid: () => plate,
    maxima: (done) => latestMaxima(ctl, lanes, done),
  };
}
