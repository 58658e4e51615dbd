/**
 * The heat plate: Jacobi sweeps of Laplace's equation on an (n+2)×(n+2) grid of f64, row-major,
 * rows and columns 0 and n+1 the fixed boundary. Every interior cell becomes
 * 0.25 * (up + down + left + right), added in exactly that order, from the previous grid.
 *
 * The whole solve runs inside one call per worker (heatSolve): workers sweep their own block of
 * rows, meet at a barrier (assembly/barrier.ts) after every sweep, and reduce the sweep's max
 * |new − old| through shared slots, so a sweep costs no message and no JS↔wasm call.
 *
 * Layout of a solve's control block (at `ctl`, 64-aligned; src/workloads/heat.ts mirrors it):
 *   +0     barrier, BARRIER_BYTES (64)
 *   +64    status      i32  0 running; then the first member to stop writes why (HEAT_* below)
 *   +68    iterations  i32  sweeps completed (member 0 writes it after each sweep's reduction)
 *   +72    maxDiff     f64  as i64 bits, atomic: the max |new − old| of that sweep (member 0)
 *   +128   rows        i32 × (members + 1): member m sweeps rows [rows[m], rows[m+1])
 *   +128 + align64(4·(members + 1))
 *          slots       2 sets × members × 64 bytes: member m's maximum of a pair's sweep A is
 *                      the f64 at m·64, of its sweep B at (members + m)·64 (heatSolve says why
 *                      one barrier per sweep suffices); the rest of a slot is the member's own
 *                      scratch.
 */
import { BARRIER_OK, BARRIER_TIMED_OUT, barrierState, barrierWait } from "./barrier";

const STATUS: usize = 64;
const ITERATIONS: usize = 68;
const MAX_DIFF: usize = 72;
const ROWS: usize = 128;
const SLOT_BYTES: usize = 64;

/** heatSolve's results and the status word's values. */
const HEAT_CONVERGED: i32 = 1;
const HEAT_ITERATION_LIMIT: i32 = 2;
const HEAT_CANCELLED: i32 = 3;
const HEAT_TIMED_OUT: i32 = 4;

/**
 * One Jacobi sweep of rows [r0, r1) of an (n+2)² grid from `src` into `dst` (byte pointers to
 * element [0][0]); returns the largest |new − old| over those rows.
 */
export function heatSweep(src: usize, dst: usize, n: i32, r0: i32, r1: i32): f64 {
  const stride = (<usize>n + 2) << 3;
  const end = (<usize>n + 1) << 3;
  let m = f64x2.splat(0);
  for (let r = r0; r < r1; r++) m = f64x2.pmax(m, sweepRow(src, dst, stride, end, r));
  return max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
}

/**
 * Two Jacobi sweeps in one pass over the rows (a wavefront of depth two): for each row r of
 * [a0, a1), sweep A takes row r from `src` into `dst`, then sweep B takes row r−1 from `dst`
 * back into `src` when r−1 is in [b0, b1) (and row a1−1 = n at the end when b1 = a1 = n+1). Row r−1 of sweep B needs rows r−2 … r of sweep A,
 * all done, and overwrites row r−1 of `src`, which no later row of sweep A reads. So both
 * sweeps are the plain Jacobi sweeps, bit for bit, but the grids stream through the cache once
 * instead of twice (the sweep is bound by the L3's bandwidth at N = 1024). Sweep A's state stays
 * whole in `dst`: a solve that converges after sweep A returns that grid. Returns sweep A's
 * max |new − old|; sweep B's is stored at `maxB`.
 */
export function heatSweepPair(src: usize, dst: usize, n: i32, a0: i32, a1: i32, b0: i32, b1: i32, maxB: usize): f64 {
  const stride = (<usize>n + 2) << 3;
  const end = (<usize>n + 1) << 3;
  let mA = f64x2.splat(0);
  let mB = mA;
  for (let r = a0; r < a1; r++) {
    mA = f64x2.pmax(mA, sweepRow(src, dst, stride, end, r));
    if (r - 1 >= b0 && r - 1 < b1) mB = f64x2.pmax(mB, sweepRow(dst, src, stride, end, r - 1));
  }
  // the block's last row when the one below it is the boundary, which sweep A never changes
  if (a1 == n + 1 && b1 == a1 && a0 < a1 && a1 - 1 >= b0) mB = f64x2.pmax(mB, sweepRow(dst, src, stride, end, a1 - 1));
  store<f64>(maxB, max(f64x2.extract_lane(mB, 0), f64x2.extract_lane(mB, 1)));
  return max(f64x2.extract_lane(mA, 0), f64x2.extract_lane(mA, 1));
}

/**
 * Row r of a sweep from `src` into `dst`; returns max |new − old| over the row in either lane.
 * Two cells per f64x2, eight per step of the main loop; each cell's arithmetic is the scalar
 * one, so the bits do not depend on the vector width or the unrolling. Why this shape
 * (docs/algorithms.md):
 * - max |d| is max(max d, −min d): a pmax and a pmin per pair instead of an abs (an and with a
 *   constant loaded from memory) and a pmax; two of each running, so no chain of maxpd latencies;
 * - a pair's right neighbours are the next pair's left ones, so 4 loads per pair, not 5;
 * - pmax/pmin are one maxpd/minpd on x86 (f64x2.max's NaN and ±0 rules cost several more
 *   instructions); differences are never NaN, since the API bounds every value by 1e300.
 * Measured against variants (bench notes in docs/algorithms.md): four abs-and-max chains were
 * 5–9% slower at N = 100; four max and four min chains, or two rows per pass (fewer loads),
 * 25–30% slower: V8 then runs out of the 16 xmm registers and spills.
 */
@inline function sweepRow(src: usize, dst: usize, stride: usize, end: usize, r: i32): v128 {
  const quarter = f64x2.splat(0.25);
  let hi0 = f64x2.splat(0);
  let hi1 = hi0;
  let lo0 = hi0;
  let lo1 = hi0;
  const row = src + <usize>r * stride;
  const up = row - stride;
  const down = row + stride;
  const out = dst + <usize>r * stride;
  let c: usize = 8;
  let left = v128.load(row);
  for (; c + 64 <= end; c += 64) {
    const right0 = v128.load(row + c, 8);
    const right1 = v128.load(row + c, 24);
    const right2 = v128.load(row + c, 40);
    const right3 = v128.load(row + c, 56);
    const v0 = f64x2.mul(f64x2.add(f64x2.add(f64x2.add(v128.load(up + c), v128.load(down + c)), left), right0), quarter);
    const v1 = f64x2.mul(f64x2.add(f64x2.add(f64x2.add(v128.load(up + c, 16), v128.load(down + c, 16)), right0), right1), quarter);
    const v2 = f64x2.mul(f64x2.add(f64x2.add(f64x2.add(v128.load(up + c, 32), v128.load(down + c, 32)), right1), right2), quarter);
    const v3 = f64x2.mul(f64x2.add(f64x2.add(f64x2.add(v128.load(up + c, 48), v128.load(down + c, 48)), right2), right3), quarter);
    v128.store(out + c, v0);
    v128.store(out + c, v1, 16);
    v128.store(out + c, v2, 32);
    v128.store(out + c, v3, 48);
    const d0 = f64x2.sub(v0, v128.load(row + c));
    hi0 = f64x2.pmax(hi0, d0);
    lo0 = f64x2.pmin(lo0, d0);
    const d1 = f64x2.sub(v1, v128.load(row + c, 16));
    hi1 = f64x2.pmax(hi1, d1);
    lo1 = f64x2.pmin(lo1, d1);
    const d2 = f64x2.sub(v2, v128.load(row + c, 32));
    hi0 = f64x2.pmax(hi0, d2);
    lo0 = f64x2.pmin(lo0, d2);
    const d3 = f64x2.sub(v3, v128.load(row + c, 48));
    hi1 = f64x2.pmax(hi1, d3);
    lo1 = f64x2.pmin(lo1, d3);
    left = right3;
  }
  for (; c + 16 <= end; c += 16) {
    const right = v128.load(row + c, 8);
    const v = f64x2.mul(f64x2.add(f64x2.add(f64x2.add(v128.load(up + c), v128.load(down + c)), left), right), quarter);
    v128.store(out + c, v);
    const d = f64x2.sub(v, v128.load(row + c));
    hi0 = f64x2.pmax(hi0, d);
    lo0 = f64x2.pmin(lo0, d);
    left = right;
  }
  let m = f64x2.pmax(f64x2.pmax(hi0, hi1), f64x2.neg(f64x2.pmin(lo0, lo1)));
  if (c < end) {
    const v = 0.25 * (load<f64>(up + c) + load<f64>(down + c) + load<f64>(row + c - 8) + load<f64>(row + c + 8));
    store<f64>(out + c, v);
    m = f64x2.pmax(m, f64x2.splat(abs(v - load<f64>(row + c))));
  }
  return m;
}

/**
 * The whole solve for one member of a team of `members` (one call per worker, member =
 * 0 … members−1), until a sweep's max |new − old| is below `tolerance` or `maxIterations`
 * sweeps are done. Every member computes the same maximum from the same slots, so all stop
 * after the same sweep. Returns why it stopped: 1 converged, 2 iteration limit, 3 cancelled
 * (barrier aborted), 4 barrier timeout. The control block's layout is above.
 *
 * Sweeps go in pairs (heatSweepPair): sweep A from grid A into grid B, sweep B back into grid A,
 * so after k sweeps the grid is in B for odd k and in A for even k. A pair has two phases, each
 * ending at the barrier, so still one barrier per sweep:
 * 1. sweep A of all the member's rows, and, a row behind, sweep B of the rows that need no
 *    neighbour's sweep-A row: all but the block's first and last (unless that edge is next to
 *    the boundary). The member's edge rows of grid A are left as they are: the neighbours'
 *    sweep A reads them.
 * 2. after the barrier (sweep A is done everywhere; its maximum decides whether to go on),
 *    sweep B of the two edge rows.
 * Halfway through phase 1 a member looks at the barrier's state, so a cancel stops the solve
 * within about one sweep.
 */
export function heatSolve(member: i32, members: i32, n: i32, gridA: usize, gridB: usize, ctl: usize, tolerance: f64, maxIterations: i32, timeoutMs: f64): i32 {
  const rows = ctl + ROWS;
  const r0 = load<i32>(rows + (<usize>member << 2));
  const r1 = load<i32>(rows + (<usize>member + 1 << 2));
  const slots = rows + ((((<usize>members + 1) << 2) + 63) & ~63);
  const setA = slots;
  const setB = slots + <usize>members * SLOT_BYTES;
  // heatSweepPair's sweep-B maximum: in this member's own set-B slot, past the f64 others read
  const scratch = setB + <usize>member * SLOT_BYTES + 8;
  // phase 1's sweep-B rows [b0, b1); phase 2 sweeps [r0, b0) and [b1, r1)
  const b0 = r0 == 1 ? r0 : min(r0 + 1, r1);
  const b1 = max(r1 == n + 1 ? r1 : r1 - 1, b0);
  const mid = r0 + ((r1 - r0) >> 1);
  let done = 0; // sweeps completed
  let status = 0;
  while (status == 0) {
    let maxA: f64;
    let maxB: f64 = 0;
    if (done + 2 <= maxIterations) {
      maxA = heatSweepPair(gridA, gridB, n, r0, mid, b0, b1, scratch);
      maxB = load<f64>(scratch);
      const state = barrierState(ctl);
      if (state != BARRIER_OK) {
        status = stopStatus(state);
        break;
      }
      maxA = max(maxA, heatSweepPair(gridA, gridB, n, mid, r1, b0, b1, scratch));
      maxB = max(maxB, load<f64>(scratch));
    } else {
      maxA = heatSweep(gridA, gridB, n, r0, r1);
    }
    store<f64>(setA + <usize>member * SLOT_BYTES, maxA);
    status = meet(ctl, setA, member, members, ++done, tolerance, maxIterations, timeoutMs);
    if (status != 0) break;
    maxB = max(maxB, max(heatSweep(gridB, gridA, n, r0, b0), heatSweep(gridB, gridA, n, b1, r1)));
    store<f64>(setB + <usize>member * SLOT_BYTES, maxB);
    status = meet(ctl, setB, member, members, ++done, tolerance, maxIterations, timeoutMs);
  }
  // the first member to stop records why; the main thread waits on this word
  atomic.cmpxchg<i32>(ctl + STATUS, 0, status);
  atomic.notify(ctl + STATUS, -1);
  return status;
}

/**
 * The end of a sweep: waits for the others, reduces the sweep's maximum from the slot set,
 * publishes it (member 0) and says whether to stop (a HEAT_* status) or go on (0).
 * Set A is written in phase 1 and read before the next phase 1 can start (that needs the
 * barrier after phase 2, which every member passes only after reading it); set B likewise.
 */
function meet(ctl: usize, set: usize, member: i32, members: i32, done: i32, tolerance: f64, maxIterations: i32, timeoutMs: f64): i32 {
  const met = members > 1 ? barrierWait(ctl, timeoutMs) : barrierState(ctl);
  if (met != BARRIER_OK) return stopStatus(met);
  let sweepMax: f64 = 0;
  for (let m = 0; m < members; m++) sweepMax = max(sweepMax, load<f64>(set + <usize>m * SLOT_BYTES));
  if (member == 0) {
    atomic.store<i64>(ctl + MAX_DIFF, reinterpret<i64>(sweepMax));
    atomic.store<i32>(ctl + ITERATIONS, done);
  }
  if (sweepMax < tolerance) return HEAT_CONVERGED;
  if (done >= maxIterations) return HEAT_ITERATION_LIMIT;
  return 0;
}

@inline function stopStatus(barrier: i32): i32 {
  return barrier == BARRIER_TIMED_OUT ? HEAT_TIMED_OUT : HEAT_CANCELLED;
}
