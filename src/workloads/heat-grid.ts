/** The heat plate's memory: apart from heat.ts so that the browser entry exports it without loading the workload (src/lazy-workloads.ts). */

/** How the plate is solved: see docs/algorithms.md. */
export type HeatMethod = "jacobi" | "sor" | "multigrid";
export const HEAT_METHODS: readonly HeatMethod[] = ["jacobi", "sor", "multigrid"];

/**
 * Bytes of shared memory a solve of size N needs for its grids: Jacobi two (N+2)² grids of f64;
 * SOR one, in place; multigrid the plate, its residual, and three grids (correction,
 * right-hand side, residual) per coarser level (about a third of that again).
 */
export function heatGridBytes(size: number, method: HeatMethod = "jacobi"): number {
  if (method === "jacobi") return 2 * (size + 2) ** 2 * 8;
  if (method === "sor") return (size + 2) ** 2 * 8;
  const levels = multigridLevels(size);
  let cells = 2 * (size + 2) ** 2;
  for (let l = 1; l < levels.length; l++) cells += (l === levels.length - 1 ? 2 : 3) * (levels[l]! + 2) ** 2;
  return cells * 8;
}

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
