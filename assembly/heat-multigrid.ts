/**
 * The heat plate by geometric multigrid: V(2,2) cycles with a red–black Gauss–Seidel smoother
 * (heat-relax.ts), full-weighting restriction and bilinear prolongation between a hierarchy of
 * grids, one call per worker for the whole solve. The solve stops after the first cycle whose
 * finest grid has a residual (max |Δh u|) below the tolerance. Context block, levels and
 * transfer tables: heat-context.ts; how the hierarchy is built: src/workloads/heat-multigrid.ts.
 *
 * Every step works on the member's own rows of one level and is followed by a barrier, since
 * the next step reads the neighbours' rows: a sweep (two: heat-solver.ts sweep) | the
 * restriction's row pass, fused into the last pre-smoothing sweep | its column pass | the
 * prolongation. On coarse levels with fewer rows than members some members own none and only meet.
 */
import { HC_LEVEL0, HC_LEVELS, HC_TABLES, LEVEL_BYTES, LV_A, LV_B, LV_G, LV_HI, LV_J, LV_LO, LV_N, LV_T, LV_U } from "./heat-context";
import { FOLLOW_NONE, FOLLOW_RED_RESIDUAL, FOLLOW_RESTRICT, heatProlong, heatRestrictCoarse } from "./heat-relax";
import { endIteration, finish, meet, rowOf, slotOf, sweep } from "./heat-solver";

/** Red–black sweeps before and after the coarse-grid correction, and on the coarsest grid (n ≤ 2). */
const PRE_SWEEPS: i32 = 2;
const POST_SWEEPS: i32 = 2;
const COARSEST_SWEEPS: i32 = 16;
/**
 * A level with fewer rows than this per member, and the rest of the V-cycle below it, is done by
 * member 0 alone while the others wait at one barrier: there a step's work per member is below a
 * few µs, no more than the barrier after it (11 per level and cycle). Who does a row changes no bit.
 */
const SERIAL_ROWS_PER_MEMBER: i32 = 32;

/**
 * One member's part of the solve. Returns why it stopped (heat-solver.ts HEAT_*).
 * `iterations` counts V-cycles.
 */
export function heatMultigridSolve(member: i32, members: i32, ctl: usize, tolerance: f64, maxIterations: i32, timeoutMs: f64): i32 {
  const levels = load<i32>(ctl + HC_LEVELS);
  const n = load<i32>(ctl + HC_LEVEL0 + LV_N);
  if (member == 0) writeTables(ctl, levels);
  let status = meet(ctl, members, timeoutMs);
  for (let k = 0; status == 0; k++) {
    // the cycle's last sweep on the plate leaves the max change and the residual in the slot
    status = cycle(ctl, 0, levels, member, members, timeoutMs, slotOf(ctl, k, member, members));
    if (status != 0) break;
    status = endIteration(ctl, k, member, members, n, tolerance, maxIterations, timeoutMs);
  }
  return finish(ctl, status);
}

/**
 * A V-cycle from level `l` down: smooth, restrict the residual, correct from the coarser level,
 * smooth. On level 0 the last sweep's maxima go into `slot`. Returns 0 or a stop status.
 */
function cycle(ctl: usize, l: i32, levels: i32, member: i32, members: i32, timeoutMs: f64, slot: usize): i32 {
  const level = ctl + HC_LEVEL0 + <usize>l * LEVEL_BYTES;
  const n = load<i32>(level + LV_N);
  if (members > 1 && n < SERIAL_ROWS_PER_MEMBER * members) {
    // member 0 alone, as a team of one (which only checks the barrier for a cancel); a stop
    // status there means the barrier is broken, and the others have left it too
    const status = member == 0 ? cycle(ctl, l, levels, 0, 1, timeoutMs, slot) : 0;
    return status != 0 ? status : meet(ctl, members, timeoutMs);
  }
  const track = l == 0 ? slot : 0;
  const last = track != 0 ? FOLLOW_RED_RESIDUAL : FOLLOW_NONE;
  if (l == levels - 1) return smooth(ctl, level, member, members, COARSEST_SWEEPS, timeoutMs, track, last);
  // the last pre-smoothing sweep also runs the restriction's row pass, on rows as they become final
  let status = smooth(ctl, level, member, members, PRE_SWEEPS, timeoutMs, 0, FOLLOW_RESTRICT);
  if (status != 0) return status;
  status = meet(ctl, members, timeoutMs);
  if (status != 0) return status;
  const coarse = level + LEVEL_BYTES;
  const m = load<i32>(coarse + LV_N);
  const J = <usize>load<u32>(level + LV_J);
  const A = <usize>load<u32>(level + LV_A);
  const B = <usize>load<u32>(level + LV_B);
  const ec = <usize>load<u32>(coarse + LV_U);
  heatRestrictCoarse(<usize>load<u32>(level + LV_T), n, <usize>load<u32>(coarse + LV_G), ec, m, J, A, B,
    <usize>load<u32>(level + LV_LO), <usize>load<u32>(level + LV_HI), rowOf(m, member, members), rowOf(m, member + 1, members));
  status = meet(ctl, members, timeoutMs);
  if (status != 0) return status;
  status = cycle(ctl, l + 1, levels, member, members, timeoutMs, slot);
  if (status != 0) return status;
  heatProlong(<usize>load<u32>(level + LV_U), n, ec, m, J, A, B, rowOf(n, member, members), rowOf(n, member + 1, members));
  status = meet(ctl, members, timeoutMs);
  if (status != 0) return status;
  return smooth(ctl, level, member, members, POST_SWEEPS, timeoutMs, track, last);
}

/**
 * `sweeps` red–black Gauss–Seidel sweeps of one level (heat-solver.ts sweep); `follow` applies
 * to the last one, and so does `slot` (≠ 0: its max change and residual go there).
 */
function smooth(ctl: usize, level: usize, member: i32, members: i32, sweeps: i32, timeoutMs: f64, slot: usize, follow: i32): i32 {
  const n = load<i32>(level + LV_N);
  const u = <usize>load<u32>(level + LV_U);
  const g = <usize>load<u32>(level + LV_G);
  const r0 = rowOf(n, member, members);
  const r1 = rowOf(n, member + 1, members);
  const m = follow == FOLLOW_RESTRICT ? load<i32>(level + LEVEL_BYTES + LV_N) : 0;
  for (let s = 0; s < sweeps; s++) {
    const last = s == sweeps - 1;
    const status = sweep(ctl, members, timeoutMs, u, g, n, r0, r1, 1, last ? slot : 0, last ? follow : FOLLOW_NONE,
      <usize>load<u32>(level + LV_T), m, <usize>load<u32>(level + LV_J), <usize>load<u32>(level + LV_A), <usize>load<u32>(level + LV_B));
    if (status != 0) return status;
  }
  return 0;
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
