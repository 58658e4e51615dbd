/**
 * The heat plate by red–black successive over-relaxation (SOR), as a step kernel for
 * Pool.iterate: an iteration is one sweep — a red half-sweep, then a black one, both in place
 * with the over-relaxation factor ω (heat-relax.ts) — in SOR_PHASES phases with the lanes'
 * barrier between them; the sweep's last phase returns the lane's part of the residual (max
 * |Δh u|), which the pool reduces by max and tests against the tolerance.
 * Context block: heat-context.ts (one level).
 */
import { HC_LEVEL0, HC_STARTED, LV_N, LV_U } from "./heat-context";
import { FOLLOW_RED_RESIDUAL } from "./heat-relax";
import { residualOfSlot, rowOf, slotOf, sweepEdges, sweepFollow, sweepInner } from "./heat-solver";

/** The phases of a sweep (heat-solver.ts): the one-pass sweep, the edge rows, the red residual of the rows the pass could not reach. */
export const SOR_PHASES: i32 = 3;

/**
 * Lane `lane`'s phase of sweep `iteration` on its block of the plate's rows (heat-solver.ts
 * rowOf). The pass also yields the grid's residual: the black cells' with their update, since
 * their red neighbours no longer change, and the red cells' two rows behind. Returns 0 but in
 * the last phase: the lane's residual (heat-solver.ts residualOfSlot).
 */
export function heatSorStep(lane: i32, lanes: i32, iteration: i32, phase: i32, ctl: usize, omega: f64): f64 {
  const level = ctl + HC_LEVEL0;
  const n = load<i32>(level + LV_N);
  const u = <usize>load<u32>(level + LV_U);
  const r0 = rowOf(n, lane, lanes);
  const r1 = rowOf(n, lane + 1, lanes);
  const slot = slotOf(ctl, iteration, lane, lanes);
  if (phase == 0) {
    if (lane == 0) atomic.store<i32>(ctl + HC_STARTED, iteration);
    sweepInner(u, 0, n, r0, r1, omega, slot, FOLLOW_RED_RESIDUAL, 0, 0, 0, 0, 0);
    return 0;
  }
  if (phase == 1) {
    sweepEdges(u, 0, n, r0, r1, omega, slot);
    return 0;
  }
  sweepFollow(u, 0, n, r0, r1, slot, FOLLOW_RED_RESIDUAL, 0, 0, 0, 0, 0);
  return residualOfSlot(slot, n);
}
