/**
 * The heat plate by red–black successive over-relaxation (SOR): one call per worker for the
 * whole solve, as heatSolve (heat.ts) does for Jacobi. A sweep is a red half-sweep, then a
 * black one, both in place with the over-relaxation factor ω (heat-relax.ts); the solve stops
 * after the first sweep whose grid has a residual (max |Δh u|) below the tolerance.
 * Context block: heat-context.ts (one level).
 */
import { HC_LEVEL0, LV_N, LV_ROWS, LV_U } from "./heat-context";
import { heatResidualMax, heatSweepEdges, heatSweepInner } from "./heat-relax";
import { SLOT_CHANGE, SLOT_RESIDUAL, endIteration, finish, meet, slotOf } from "./heat-solver";

/**
 * One member's part of the solve: rows [rows[member], rows[member+1]) of the plate. Per sweep:
 * the red–black sweep of the block but the black cells of its edge rows (one pass over memory),
 * barrier, those black cells, barrier, the red cells' residual (the black cells' came with
 * their update: their red neighbours no longer change), then the reduction (heat-solver.ts
 * endIteration). Returns why it stopped (heat-solver.ts HEAT_*).
 */
export function heatSorSolve(member: i32, members: i32, ctl: usize, omega: f64, tolerance: f64, maxIterations: i32, timeoutMs: f64): i32 {
  const level = ctl + HC_LEVEL0;
  const n = load<i32>(level + LV_N);
  const u = <usize>load<u32>(level + LV_U);
  const rows = <usize>load<u32>(level + LV_ROWS);
  const r0 = load<i32>(rows + (<usize>member << 2));
  const r1 = load<i32>(rows + (<usize>member + 1 << 2));
  let status = 0;
  for (let k = 0; status == 0; k++) {
    const slot = slotOf(ctl, k, member, members);
    // the sweep but the black cells of the block's edge rows, then those once the neighbours'
    // red rows are done (heat-relax.ts heatSweepInner)
    const inner = heatSweepInner(u, 0, n, r0, r1, omega, slot + SLOT_RESIDUAL);
    status = meet(ctl, members, timeoutMs);
    if (status != 0) break;
    const residual = load<f64>(slot + SLOT_RESIDUAL);
    const edges = heatSweepEdges(u, 0, n, r0, r1, omega, slot + SLOT_RESIDUAL);
    store<f64>(slot + SLOT_RESIDUAL, max(residual, load<f64>(slot + SLOT_RESIDUAL)));
    status = meet(ctl, members, timeoutMs);
    if (status != 0) break;
    const redResidual = heatResidualMax(u, 0, n, r0, r1, 0);
    store<f64>(slot + SLOT_RESIDUAL, max(load<f64>(slot + SLOT_RESIDUAL), redResidual));
    store<f64>(slot + SLOT_CHANGE, max(inner, edges));
    status = endIteration(ctl, k, member, members, n, tolerance, maxIterations, timeoutMs);
  }
  return finish(ctl, status);
}
