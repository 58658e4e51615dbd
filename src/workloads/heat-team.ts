/**
 * What one method of the heat plate hands to heat.ts to run: the kernel each member calls, its
 * arguments after the member index, and the control block whose header every method shares
 * (barrier at +0, then status, iterations, maxDiff; the red–black solvers add residual:
 * heat-context.ts).
 */
export interface HeatTeam {
  kernel: string;
  args: number[];
  ctl: Int32Array;
  /** Shared-memory regions the solve allocated (control block included), freed once the members have returned. */
  regions: Array<Float64Array | Int32Array>;
  /** The plate after the solve (Jacobi: whichever grid the last sweep wrote). */
  grid(iterations: number): Float64Array;
}
