/**
 * What the red–black step kernels (heat-sor.ts, heat-multigrid.ts) share: a lane's rows, its
 * slot of the context block (heat-context.ts), and one red–black sweep cut into the three
 * phases between which the lanes must meet (Pool.iterate's barrier, src/platform/iterate-lane.ts).
 * A sweep's maxima go to the lane's slot, phase by phase, so that the last phase leaves exactly
 * what one uninterrupted sweep would (max is exact and order-free).
 */
import { HC_SLOTS, SLOT_BYTES, SLOT_CHANGE, SLOT_INNER, SLOT_INNER_CHANGE, SLOT_RESIDUAL } from "./heat-context";
import { FOLLOW_NONE, heatSweepEdges, heatSweepFollowEdges, heatSweepInner } from "./heat-relax";


/**
 * The first row of lane `i` of `lanes` on an n-row grid (i = lanes: n + 1): blocks of
 * ⌈n/lanes⌉ rows, the last ones empty on grids with fewer rows than lanes.
 */
export function rowOf(n: i32, i: i32, lanes: i32): i32 {
  return min(1 + i * ((n + lanes - 1) / lanes), n + 1);
}

/** This lane's slot for iteration k (sets alternate by k's parity: heat-context.ts). */
export function slotOf(ctl: usize, k: i32, lane: i32, lanes: i32): usize {
  return <usize>load<u32>(ctl + HC_SLOTS) + <usize>((k & 1) * lanes + lane) * SLOT_BYTES;
}

/**
 * Phase 1 of a red–black sweep of rows [r0, r1): the one-pass sweep of the block but for its
 * edge rows' black cells (heat-relax.ts heatSweepInner), with `follow` on the rows it makes
 * final. With `slot` ≠ 0 the pass's max |t| and max change go to the slot's INNER fields: the
 * fields the progress reader reads (RESIDUAL, CHANGE) are written after the first barrier of
 * an iteration only (heat-context.ts, HC_STARTED).
 */
export function sweepInner(u: usize, g: usize, n: i32, r0: i32, r1: i32, omega: f64, slot: usize,
  follow: i32, t: usize, m: i32, J: usize, A: usize, B: usize): void {
  const change = heatSweepInner(u, g, n, r0, r1, omega, slot != 0 ? slot + SLOT_INNER : 0, follow, t, m, J, A, B);
  if (slot != 0) store<f64>(slot + SLOT_INNER_CHANGE, change);
}

/** Phase 2, once every lane's phase 1 is done: the black cells of the block's edge rows. */
export function sweepEdges(u: usize, g: usize, n: i32, r0: i32, r1: i32, omega: f64, slot: usize): void {
  const out = slot != 0 ? slot + SLOT_RESIDUAL : 0;
  const change = heatSweepEdges(u, g, n, r0, r1, omega, out);
  if (slot != 0) store<f64>(slot + SLOT_CHANGE, max(load<f64>(slot + SLOT_INNER_CHANGE), change));
}

/**
 * Phase 3, once every lane's phase 2 is done (only where `follow` is not FOLLOW_NONE): `follow`
 * on the rows phase 1 could not reach. With `slot` ≠ 0 the slot's residual becomes the sweep's:
 * the black cells' max |t| (from both passes) and, with FOLLOW_RED_RESIDUAL, the red cells'.
 * After FOLLOW_RESTRICT the lanes must meet before reading `t`.
 */
export function sweepFollow(u: usize, g: usize, n: i32, r0: i32, r1: i32, slot: usize, follow: i32, t: usize, m: i32, J: usize, A: usize, B: usize): void {
  const followed = follow != FOLLOW_NONE ? heatSweepFollowEdges(u, g, n, r0, r1, follow, t, m, J, A, B) : 0;
  if (slot != 0) {
    const out = slot + SLOT_RESIDUAL;
    store<f64>(out, max(max(load<f64>(slot + SLOT_INNER), load<f64>(out)), followed));
  }
}

/**
 * A lane's value for the iteration's reduction: its slot's max |t| times (n+1)², the max-norm
 * of the discrete Laplacian with the plate as the unit square. Rounding is monotone, so the max
 * over the lanes of these is exactly max |t| over the grid times (n+1)²: the same bits.
 */
export function residualOfSlot(slot: usize, n: i32): f64 {
  return load<f64>(slot + SLOT_RESIDUAL) * (<f64>(n + 1) * <f64>(n + 1));
}
