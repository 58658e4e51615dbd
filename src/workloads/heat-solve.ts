/**
 * What one method of the heat plate hands to heat.ts to run under Pool.iterate: the step
 * kernel, its arguments after (lane, lanes, iteration[, phase]), its phases per iteration, and
 * how to read the result back.
 */
export interface HeatSolve {
  kernel: string;
  args: number[];
  /** Steps per iteration (Pool.iterate's `phases`); absent: one, and the kernel takes no phase. */
  phases?: number;
  /** Shared-memory regions the solve allocated, freed once the call has settled (no lane runs then). */
  regions: Array<Float64Array | Int32Array>;
  /** The plate after `iterations` iterations (Jacobi: whichever grid the last sweep wrote). */
  grid(iterations: number): Float64Array;
  /**
   * sor and multigrid: the latest whole iteration's maxima (from the lanes' slots), at or after
   * `done` iterations — exact once the lanes have returned.
   */
  maxima?(done: number): { iteration: number; maxDiff: number; residual: number };
}
