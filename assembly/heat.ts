/**
 * The heat plate: Jacobi sweeps of Laplace's equation on an (n+2)×(n+2) grid of f64, row-major,
 * rows and columns 0 and n+1 the fixed boundary. Every interior cell becomes
 * 0.25 * (up + down + left + right), added in exactly that order, from the previous grid.
 *
 * The whole solve runs under Pool.iterate (src/platform/iterate-lane.ts): one long task per
 * worker calls heatJacobiStep once per sweep on its own block of rows, and the lanes meet at a
 * barrier in shared memory after every sweep, where the last to arrive reduces the sweep's max
 * |new − old| in lane order and decides whether to go on: a sweep costs no message.
 */
import { BARRIER_OK, BARRIER_TIMED_OUT, barrierState, barrierWait } from "./barrier";
import { rowOf } from "./heat-solver";

/**
 * One Jacobi sweep of rows [r0, r1) of an (n+2)² grid from `src` into `dst` (byte pointers to
 * element [0][0]); returns the largest |new − old| over those rows. Two cells per f64x2, eight
 * per step of the main loop; each cell's arithmetic is the scalar one, so the bits do not
 * depend on the vector width or the unrolling. Why this shape (docs/algorithms.md):
 * - max |d| is max(max d, −min d): a pmax and a pmin per pair instead of an abs (an and with a
 *   constant loaded from memory) and a pmax; two of each running, so no chain of maxpd latencies;
 * - a pair's right neighbours are the next pair's left ones, so 4 loads per pair, not 5;
 * - pmax/pmin are one maxpd/minpd on x86 (f64x2.max's NaN and ±0 rules cost several more
 *   instructions); differences are never NaN, since the API bounds every value by 1e300.
 * Measured against variants (bench notes in docs/algorithms.md): four abs-and-max chains were
 * 5–9% slower at N = 100; four max and four min chains, or two rows per pass (fewer loads),
 * 25–30% slower: V8 then runs out of the 16 xmm registers and spills.
 */
export function heatSweep(src: usize, dst: usize, n: i32, r0: i32, r1: i32): f64 {
  const stride = (<usize>n + 2) << 3;
  const end = (<usize>n + 1) << 3; // byte offset of column n+1 within a row
  const quarter = f64x2.splat(0.25);
  let hi0 = f64x2.splat(0);
  let hi1 = hi0;
  let lo0 = hi0;
  let lo1 = hi0;
  let smax: f64 = 0;
  for (let r = r0; r < r1; r++) {
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
    if (c < end) {
      const v = 0.25 * (load<f64>(up + c) + load<f64>(down + c) + load<f64>(row + c - 8) + load<f64>(row + c + 8));
      store<f64>(out + c, v);
      smax = max(smax, abs(v - load<f64>(row + c)));
    }
  }
  const m = f64x2.pmax(f64x2.pmax(hi0, hi1), f64x2.neg(f64x2.pmin(lo0, lo1)));
  return max(smax, max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1)));
}

/**
 * Sweep `iteration` of lane `lane` of `lanes` (a step kernel for Pool.iterate): its block of
 * rows (heat-solver.ts rowOf) from grid A into grid B on even sweeps, from B into A on odd
 * ones. Returns the block's max |new − old|; the pool's max over the lanes is the sweep's.
 */
export function heatJacobiStep(lane: i32, lanes: i32, iteration: i32, n: i32, gridA: usize, gridB: usize): f64 {
  const odd = (iteration & 1) != 0;
  return heatSweep(odd ? gridB : gridA, odd ? gridA : gridB, n, rowOf(n, lane, lanes), rowOf(n, lane + 1, lanes));
}

/**
 * The team kernel of pool.runTeam's tests and bench (the heat plate itself runs heatJacobiStep
 * under Pool.iterate): the whole Jacobi solve in one call per member, with the barrier and the
 * reduction inside wasm. Its control block (at `ctl`, 64-aligned):
 *   +0     barrier, BARRIER_BYTES (64)
 *   +64    status      i32  0 running; then the first member to stop writes why (HEAT_* below)
 *   +68    iterations  i32  sweeps completed (member 0 writes it after each sweep's reduction)
 *   +72    maxDiff     f64  as i64 bits, atomic: the max |new − old| of that sweep (member 0)
 *   +128   rows        i32 × (members + 1): member m sweeps rows [rows[m], rows[m+1])
 *   +128 + align64(4·(members + 1))
 *          slots       2 sets × members × 64 bytes: member m's sweep maximum for a sweep of
 *                      parity s is the f64 at (s·members + m)·64. Sets alternate by sweep
 *                      parity: the set written in sweep k+1 is not the one read after sweep k,
 *                      and sweep k+2's writes come after barrier k+1, which every member passes
 *                      only once it has read sweep k's set. One barrier per sweep suffices.
 */
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
 * The whole solve for one member of a team of `members` (one call per worker, member =
 * 0 … members−1): sweeps its rows from grid A into grid B, then B into A, …, meeting the others
 * at the barrier after each sweep, until the sweep's max |new − old| is below `tolerance` or
 * `maxIterations` sweeps are done. Every member computes the same maximum from the same slots,
 * so all stop after the same sweep. Returns why it stopped: 1 converged, 2 iteration limit,
 * 3 cancelled (barrier aborted), 4 barrier timeout. The control block's layout is above.
 */
export function heatSolve(member: i32, members: i32, n: i32, gridA: usize, gridB: usize, ctl: usize, tolerance: f64, maxIterations: i32, timeoutMs: f64): i32 {
  const rows = ctl + ROWS;
  const r0 = load<i32>(rows + (<usize>member << 2));
  const r1 = load<i32>(rows + (<usize>member + 1 << 2));
  const slots = rows + ((((<usize>members + 1) << 2) + 63) & ~63);
  let src = gridA;
  let dst = gridB;
  let status = 0;
  for (let k = 0; status == 0; k++) {
    const set = slots + <usize>((k & 1) * members) * SLOT_BYTES;
    store<f64>(set + <usize>member * SLOT_BYTES, heatSweep(src, dst, n, r0, r1));
    const met = members > 1 ? barrierWait(ctl, timeoutMs) : barrierState(ctl);
    if (met != BARRIER_OK) {
      status = met == BARRIER_TIMED_OUT ? HEAT_TIMED_OUT : HEAT_CANCELLED;
      break;
    }
    let sweepMax: f64 = 0;
    for (let m = 0; m < members; m++) sweepMax = max(sweepMax, load<f64>(set + <usize>m * SLOT_BYTES));
    if (member == 0) {
      atomic.store<i64>(ctl + MAX_DIFF, reinterpret<i64>(sweepMax));
      atomic.store<i32>(ctl + ITERATIONS, k + 1);
    }
    if (sweepMax < tolerance) status = HEAT_CONVERGED;
    else if (k + 1 >= maxIterations) status = HEAT_ITERATION_LIMIT;
    const swap = src;
    src = dst;
    dst = swap;
  }
  // the first member to stop records why; the main thread waits on this word
  atomic.cmpxchg<i32>(ctl + STATUS, 0, status);
  atomic.notify(ctl + STATUS, -1);
  return status;
}
