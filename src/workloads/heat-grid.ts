/** The heat plate's memory: apart from heat.ts so that the browser entry exports it without loading the workload (src/lazy-workloads.ts). */

/** How the plate is solved: see docs/algorithms.md. */
export type HeatMethod = "jacobi" | "sor" | "multigrid";

/**
 * Bytes of shared memory a solve of size N needs for its grids: Jacobi two (N+2)² grids of f64;
 * SOR one, in place; multigrid the plate and its restriction scratch, then three grids
 * (correction, right-hand side, scratch) per coarser level, two on the coarsest (its sizes:
 * heat-multigrid.ts multigridLevels).
 */
export function heatGridBytes(size: number, method: HeatMethod = "jacobi"): number {
  if (method !== "multigrid") return (method === "sor" ? 1 : 2) * (size + 2) ** 2 * 8;
  let cells = 2 * (size + 2) ** 2;
  for (let n = size; n >= 3;) {
    n = (n - 1) >> 1;
    cells += (n >= 3 ? 3 : 2) * (n + 2) ** 2;
  }
  return cells * 8;
}
