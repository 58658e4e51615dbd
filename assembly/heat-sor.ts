/**
 * The heat plate by red–black successive over-relaxation (SOR): one call per worker for the
 * whole solve, as heatSolve (heat.ts) does for Jacobi. A sweep is a red half-sweep, then a
 * black one, both in place with the over-relaxation factor ω (heat-relax.ts); the solve stops
 * after the first sweep whose grid has a residual (max |Δh u|) below the tolerance.
 * Context block: heat-context.ts (one level).
 */
import { HC_LEVEL0, LV_N, LV_U } from "./heat-context";
import { FOLLOW_RED_RESIDUAL } from "./heat-relax";
import { endIteration, finish, rowOf, slotOf, sweep } from "./heat-solver";

/**
 * One member's part of the solve: its block of the plate's rows (heat-solver.ts rowOf). Per sweep:
 * the red–black sweep (heat-solver.ts sweep: one pass over memory, two barriers), which also
 * yields the grid's residual (the black cells' with their update, since their red neighbours no
 * longer change; the red cells' two rows behind), then the reduction (endIteration).
 * Returns why it stopped (heat-solver.ts HEAT_*).
 */
export function heatSorSolve(member: i32, members: i32, ctl: usize, omega: f64, tolerance: f64, maxIterations: i32, timeoutMs: f64): i32 {
  const level = ctl + HC_LEVEL0;
  const n = load<i32>(level + LV_N);
  const u = <usize>load<u32>(level + LV_U);
  const r0 = rowOf(n, member, members);
  const r1 = rowOf(n, member + 1, members);
  let status = 0;
  for (let k = 0; status == 0; k++) {
    const slot = slotOf(ctl, k, member, members);
    status = sweep(ctl, members, timeoutMs, u, 0, n, r0, r1, omega, slot, FOLLOW_RED_RESIDUAL, 0, 0, 0, 0, 0);
    if (status != 0) break;
    status = endIteration(ctl, k, member, members, n, tolerance, maxIterations, timeoutMs);
  }
  return finish(ctl, status);
}
