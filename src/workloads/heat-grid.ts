/** The heat plate's memory: apart from heat.ts so that the browser entry exports it without loading the workload (src/lazy-workloads.ts). */

/** Bytes of shared memory a solve of size N needs for its two grids. */
export function heatGridBytes(size: number): number {
  return 2 * (size + 2) ** 2 * 8;
}
