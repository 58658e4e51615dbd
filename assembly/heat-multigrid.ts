/**
 * The heat plate by geometric multigrid, as a step kernel for Pool.iterate: V(2,2) cycles with
 * a red–black Gauss–Seidel smoother (heat-relax.ts), full-weighting restriction and bilinear
 * prolongation between a hierarchy of grids. An iteration is one V-cycle, cut into phases with
 * the lanes' barrier between them; what each phase does is the context block's schedule,
 * written by src/workloads/heat-multigrid.ts (multigridSchedule): a sweep's three phases
 * (heat-solver.ts) | the restriction's column pass | the prolongation, level by level, and
 * levels with fewer rows than SERIAL_ROWS_PER_LANE per lane as one phase of lane 0 alone. The
 * cycle's last phase returns the lane's part of the plate's residual (max |Δh u|), which the
 * pool reduces by max and tests against the tolerance. Context block, levels and transfer
 * tables: heat-context.ts.
 */
import { HC_LEVEL0, HC_LEVELS, HC_PHASES, HC_SCHEDULE, HC_STARTED, HC_TABLES, LEVEL_BYTES, LV_A, LV_B, LV_G, LV_HI, LV_J, LV_LO, LV_N, LV_T, LV_U,
  OP_EDGES, OP_FOLLOW, OP_INNER, OP_PROLONG, OP_RESTRICT, OP_SERIAL, SCHEDULE_BYTES } from "./heat-context";
import { FOLLOW_NONE, FOLLOW_RED_RESIDUAL, FOLLOW_RESTRICT, heatProlong, heatRestrictCoarse } from "./heat-relax";
import { residualOfSlot, rowOf, slotOf, sweepEdges, sweepFollow, sweepInner } from "./heat-solver";

/** Red–black sweeps before and after the coarse-grid correction, and on the coarsest grid (n ≤ 2); mirrored by the schedule's writer. */
const PRE_SWEEPS: i32 = 2;
const POST_SWEEPS: i32 = 2;
const COARSEST_SWEEPS: i32 = 16;

/**
 * Lane `lane`'s phase `phase` of V-cycle `iteration` (the schedule's entry). Lane 0 fills the
 * transfer tables as it starts the first phase of the first cycle: the schedule's phase 0 is a
 * plain sweep of the plate or lane 0's own serial cycle, so no lane reads them before the
 * barrier after it. Returns 0 but in the cycle's last phase: the lane's residual.
 */
export function heatMultigridStep(lane: i32, lanes: i32, iteration: i32, phase: i32, ctl: usize): f64 {
  if (phase == 0 && lane == 0) {
    if (iteration == 0) writeTables(ctl, load<i32>(ctl + HC_LEVELS));
    atomic.store<i32>(ctl + HC_STARTED, iteration);
  }
  const entry = <usize>load<u32>(ctl + HC_SCHEDULE) + <usize>phase * SCHEDULE_BYTES;
  const op = load<i32>(entry);
  const l = load<i32>(entry, 4);
  const follow = load<i32>(entry, 8);
  const slot = load<i32>(entry, 12) != 0 ? slotOf(ctl, iteration, lane, lanes) : 0;
  const level = ctl + HC_LEVEL0 + <usize>l * LEVEL_BYTES;
  const n = load<i32>(level + LV_N);
  if (op == OP_SERIAL) {
    if (lane == 0) serialCycle(ctl, l, load<i32>(ctl + HC_LEVELS), slot);
  } else if (op == OP_RESTRICT) {
    const m = load<i32>(level + LEVEL_BYTES + LV_N);
    heatRestrictCoarse(<usize>load<u32>(level + LV_T), n, <usize>load<u32>(level + LEVEL_BYTES + LV_G), <usize>load<u32>(level + LEVEL_BYTES + LV_U), m,
      <usize>load<u32>(level + LV_J), <usize>load<u32>(level + LV_A), <usize>load<u32>(level + LV_B),
      <usize>load<u32>(level + LV_LO), <usize>load<u32>(level + LV_HI), rowOf(m, lane, lanes), rowOf(m, lane + 1, lanes));
  } else if (op == OP_PROLONG) {
    heatProlong(<usize>load<u32>(level + LV_U), n, <usize>load<u32>(level + LEVEL_BYTES + LV_U), load<i32>(level + LEVEL_BYTES + LV_N),
      <usize>load<u32>(level + LV_J), <usize>load<u32>(level + LV_A), <usize>load<u32>(level + LV_B), rowOf(n, lane, lanes), rowOf(n, lane + 1, lanes));
  } else {
    sweepPhase(level, op, rowOf(n, lane, lanes), rowOf(n, lane + 1, lanes), slot, follow);
  }
  return phase == load<i32>(ctl + HC_PHASES) - 1 ? residualOfSlot(slotOf(ctl, iteration, lane, lanes), load<i32>(ctl + HC_LEVEL0 + LV_N)) : 0;
}

/** One of a sweep's phases (OP_INNER, OP_EDGES, OP_FOLLOW: heat-solver.ts) on rows [r0, r1) of a level. */
function sweepPhase(level: usize, op: i32, r0: i32, r1: i32, slot: usize, follow: i32): void {
  const n = load<i32>(level + LV_N);
  const u = <usize>load<u32>(level + LV_U);
  const g = <usize>load<u32>(level + LV_G);
  const m = follow == FOLLOW_RESTRICT ? load<i32>(level + LEVEL_BYTES + LV_N) : 0;
  const t = <usize>load<u32>(level + LV_T);
  const J = <usize>load<u32>(level + LV_J);
  const A = <usize>load<u32>(level + LV_A);
  const B = <usize>load<u32>(level + LV_B);
  if (op == OP_INNER) sweepInner(u, g, n, r0, r1, 1, slot, follow, t, m, J, A, B);
  else if (op == OP_EDGES) sweepEdges(u, g, n, r0, r1, 1, slot);
  else sweepFollow(u, g, n, r0, r1, slot, follow, t, m, J, A, B);
}

/**
 * The V-cycle from level `l` down by one lane alone, on every row: the schedule's phases in the
 * same order, with nothing to wait for between them. On level 0 the last sweep's maxima go
 * into `slot` (≠ 0 there).
 */
function serialCycle(ctl: usize, l: i32, levels: i32, slot: usize): void {
  const level = ctl + HC_LEVEL0 + <usize>l * LEVEL_BYTES;
  const n = load<i32>(level + LV_N);
  const track = l == 0 ? slot : 0;
  const last = track != 0 ? FOLLOW_RED_RESIDUAL : FOLLOW_NONE;
  if (l == levels - 1) {
    serialSmooth(level, COARSEST_SWEEPS, track, last);
    return;
  }
  // the last pre-smoothing sweep also runs the restriction's row pass, on rows as they become final
  serialSmooth(level, PRE_SWEEPS, 0, FOLLOW_RESTRICT);
  const m = load<i32>(level + LEVEL_BYTES + LV_N);
  const J = <usize>load<u32>(level + LV_J);
  const A = <usize>load<u32>(level + LV_A);
  const B = <usize>load<u32>(level + LV_B);
  const ec = <usize>load<u32>(level + LEVEL_BYTES + LV_U);
  heatRestrictCoarse(<usize>load<u32>(level + LV_T), n, <usize>load<u32>(level + LEVEL_BYTES + LV_G), ec, m, J, A, B,
    <usize>load<u32>(level + LV_LO), <usize>load<u32>(level + LV_HI), 1, m + 1);
  serialCycle(ctl, l + 1, levels, slot);
  heatProlong(<usize>load<u32>(level + LV_U), n, ec, m, J, A, B, 1, n + 1);
  serialSmooth(level, POST_SWEEPS, track, last);
}

/** `sweeps` red–black sweeps of a whole level; `follow` and `slot` apply to the last one. */
function serialSmooth(level: usize, sweeps: i32, slot: usize, follow: i32): void {
  const n = load<i32>(level + LV_N);
  for (let s = 0; s < sweeps; s++) {
    const last = s == sweeps - 1;
    const f = last ? follow : FOLLOW_NONE;
    const at = last ? slot : 0;
    sweepPhase(level, OP_INNER, 1, n + 1, at, f);
    sweepPhase(level, OP_EDGES, 1, n + 1, at, f);
    if (f != FOLLOW_NONE) sweepPhase(level, OP_FOLLOW, 1, n + 1, at, f);
  }
}

/**
 * Lays out the transfer tables of every level but the coarsest in the zeroed room at
 * ctl + HC_TABLES and fills them (heat-context.ts): fine cell i of n sits at i/(n+1), coarse
 * cell K of m at K/(m+1); i lies between coarse J = ⌊i(m+1)/(n+1)⌋ and J + 1, with weights
 * A = (n+1−k)/(n+1) and B = k/(n+1), k = i(m+1) − J(n+1): integer arithmetic and one correctly
 * rounded division each. For n = 2m + 1 these are the classic weights 1 and ½.
 */
function writeTables(ctl: usize, levels: i32): void {
  let at = <usize>load<u32>(ctl + HC_TABLES);
  for (let l = 0; l < levels - 1; l++) {
    const level = ctl + HC_LEVEL0 + <usize>l * LEVEL_BYTES;
    const n = load<i32>(level + LV_N);
    const m = load<i32>(level + LEVEL_BYTES + LV_N);
    const J = at;
    const A = (J + (<usize>(n + 2) << 2) + 7) & ~7;
    const B = A + (<usize>(n + 2) << 3);
    const lo = B + (<usize>(n + 2) << 3);
    const hi = lo + (<usize>(m + 2) << 2);
    at = (hi + (<usize>(m + 2) << 2) + 7) & ~7;
    store<u32>(level + LV_J, <u32>J);
    store<u32>(level + LV_A, <u32>A);
    store<u32>(level + LV_B, <u32>B);
    store<u32>(level + LV_LO, <u32>lo);
    store<u32>(level + LV_HI, <u32>hi);
    const w = <i64>n + 1;
    for (let i = 1; i <= n; i++) {
      const p = <i64>i * (<i64>m + 1);
      const k = p % w;
      const Ji = <i32>((p - k) / w);
      const b = <f64>k / <f64>w;
      store<i32>(J + (<usize>i << 2), Ji);
      store<f64>(A + (<usize>i << 3), <f64>(w - k) / <f64>w);
      store<f64>(B + (<usize>i << 3), b);
      // coarse Ji and Ji + 1 interpolate to i (A > 0 always; B may be 0); lo starts at 0
      include(lo, hi, m, Ji, i);
      if (b > 0) include(lo, hi, m, Ji + 1, i);
    }
  }
}

// @ts-ignore: decorator
@inline
function include(lo: usize, hi: usize, m: i32, K: i32, i: i32): void {
  if (K < 1 || K > m) return;
  if (load<i32>(lo + (<usize>K << 2)) == 0) store<i32>(lo + (<usize>K << 2), i);
  store<i32>(hi + (<usize>K << 2), i);
}
