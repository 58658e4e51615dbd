/**
 * What the red–black solvers (heat-sor.ts, heat-multigrid.ts) share: meeting at the barrier,
 * reducing one iteration's maxima through the slots of the context block (heat-context.ts),
 * and recording why the solve stopped. The status values are the ones heatSolve (heat.ts)
 * writes, so src/workloads/heat.ts watches every method alike.
 */
import { BARRIER_OK, BARRIER_TIMED_OUT, barrierState, barrierWait } from "./barrier";
import { HC_ITERATIONS, HC_MAX_DIFF, HC_RESIDUAL, HC_SLOTS, HC_STATUS, SLOT_BYTES } from "./heat-context";
import { FOLLOW_NONE, heatSweepEdges, heatSweepFollowEdges, heatSweepInner } from "./heat-relax";

export const HEAT_CONVERGED: i32 = 1;
export const HEAT_ITERATION_LIMIT: i32 = 2;
export const HEAT_CANCELLED: i32 = 3;
export const HEAT_TIMED_OUT: i32 = 4;

/** Slot fields: f64 max |t| (scaled residual), f64 scratch, f64 max |new − old|. */
export const SLOT_RESIDUAL: usize = 0;
export const SLOT_SCRATCH: usize = 8;
export const SLOT_CHANGE: usize = 16;

/**
 * Waits for the other members (the barrier at ctl + 0); one member only checks for a cancel.
 * Returns 0, or the status to stop with (cancelled, timed out).
 */
export function meet(ctl: usize, members: i32, timeoutMs: f64): i32 {
  const met = members > 1 ? barrierWait(ctl, timeoutMs) : barrierState(ctl);
  if (met == BARRIER_OK) return 0;
  return met == BARRIER_TIMED_OUT ? HEAT_TIMED_OUT : HEAT_CANCELLED;
}

/**
 * One red–black sweep of rows [r0, r1) by every member: the one-pass sweep of the block,
 * barrier, the black cells of its edge rows, barrier, and `follow` on the rows the pass could
 * not reach (heat-relax.ts heatSweepInner). With `slot` ≠ 0 the sweep's max change goes to
 * slot + SLOT_CHANGE and the largest |t| (black cells', and the red cells' too with
 * FOLLOW_RED_RESIDUAL: the grid's residual) to slot + SLOT_RESIDUAL. Returns 0 or the status
 * to stop with. After FOLLOW_RESTRICT the caller must meet the others before reading `t`.
 */
export function sweep(ctl: usize, members: i32, timeoutMs: f64, u: usize, g: usize, n: i32, r0: i32, r1: i32, omega: f64, slot: usize,
  follow: i32, t: usize, m: i32, J: usize, A: usize, B: usize): i32 {
  const out = slot != 0 ? slot + SLOT_RESIDUAL : 0;
  const inner = heatSweepInner(u, g, n, r0, r1, omega, out, follow, t, m, J, A, B);
  let status = meet(ctl, members, timeoutMs);
  if (status != 0) return status;
  const residual = slot != 0 ? load<f64>(out) : 0;
  const edges = heatSweepEdges(u, g, n, r0, r1, omega, out);
  status = meet(ctl, members, timeoutMs);
  if (status != 0) return status;
  const followed = follow != FOLLOW_NONE ? heatSweepFollowEdges(u, g, n, r0, r1, follow, t, m, J, A, B) : 0;
  if (slot != 0) {
    store<f64>(out, max(max(residual, load<f64>(out)), followed));
    store<f64>(slot + SLOT_CHANGE, max(inner, edges));
  }
  return 0;
}

/**
 * The first row of member `i` of `members` on an n-row grid (i = members: n + 1): blocks of
 * ⌈n/members⌉ rows, the last ones empty on grids with fewer rows than members.
 */
export function rowOf(n: i32, i: i32, members: i32): i32 {
  return min(1 + i * ((n + members - 1) / members), n + 1);
}

/** This member's slot for iteration k (sets alternate by k's parity, as in heat.ts). */
export function slotOf(ctl: usize, k: i32, member: i32, members: i32): usize {
  return <usize>load<u32>(ctl + HC_SLOTS) + <usize>((k & 1) * members + member) * SLOT_BYTES;
}

/**
 * Ends iteration k once every member has stored its maxima in its slot: meets the others,
 * takes the maxima over all slots (exact and order-free, so every member gets the same bits
 * and takes the same decision), member 0 publishes them, and returns 0 to go on or the status
 * to stop with. The residual is max |t| · (n+1)², the max-norm of the discrete Laplacian with
 * the plate as the unit square; converged means residual < tolerance.
 */
export function endIteration(ctl: usize, k: i32, member: i32, members: i32, n: i32, tolerance: f64, maxIterations: i32, timeoutMs: f64): i32 {
  const met = meet(ctl, members, timeoutMs);
  if (met != 0) return met;
  const set = <usize>load<u32>(ctl + HC_SLOTS) + <usize>((k & 1) * members) * SLOT_BYTES;
  let t: f64 = 0;
  let change: f64 = 0;
  for (let m = 0; m < members; m++) {
    const slot = set + <usize>m * SLOT_BYTES;
    t = max(t, load<f64>(slot + SLOT_RESIDUAL));
    change = max(change, load<f64>(slot + SLOT_CHANGE));
  }
  const residual = t * (<f64>(n + 1) * <f64>(n + 1));
  if (member == 0) {
    atomic.store<i64>(ctl + HC_MAX_DIFF, reinterpret<i64>(change));
    atomic.store<i64>(ctl + HC_RESIDUAL, reinterpret<i64>(residual));
    atomic.store<i32>(ctl + HC_ITERATIONS, k + 1);
  }
  if (residual < tolerance) return HEAT_CONVERGED;
  if (k + 1 >= maxIterations) return HEAT_ITERATION_LIMIT;
  return 0;
}

/** Records why the solve stopped (the first member to stop wins) and wakes the main thread. */
export function finish(ctl: usize, status: i32): i32 {
  atomic.cmpxchg<i32>(ctl + HC_STATUS, 0, status);
  atomic.notify(ctl + HC_STATUS, -1);
  return status;
}
