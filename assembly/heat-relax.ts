/**
 * Red–black kernels for Laplace's and Poisson's equation on an (n+2)² grid of f64, row-major,
 * rows and columns 0 and n+1 the fixed edge — the steps that the SOR and multigrid solvers
 * (assembly/heat-sor.ts, heat-multigrid.ts) are made of. Each works on a block of rows
 * [r0, r1) and knows nothing of workers.
 *
 * A cell (r, c) is red when r + c is even, black when odd. A red cell's four neighbours are
 * black and the other way round, so a half-sweep over one colour reads only cells of the other
 * colour: its result does not depend on the order of the cells or on how the rows are split
 * between workers, and every cell is computed with exactly the operations written here:
 *   s  = ((up + down) + left) + right           (g + s with a right-hand side g)
 *   gs = 0.25 · s                               the Gauss–Seidel value
 *   v  = gs            (ω = 1)  or  u + ω·(gs − u)  (over-relaxation)
 * The scaled residual of a cell is t = s − 4u (g + s − 4u): h²·(f − A u) for −Δu = f, with
 * g = h²·f. Max |t| over the finest grid, times (n+1)², is the residual the solvers report.
 */

/**
 * Over-relaxes the cells of one colour (0 red, 1 black) in rows [r0, r1) in place, from the
 * current values of the other colour. `g` is the scaled right-hand side (0: none, Laplace).
 * Returns the largest |new − old|. When `out` ≠ 0 it also stores there (f64) the largest |t|
 * of the updated cells after their update — their residual for the grid as it now stands,
 * since their neighbours are of the other colour and unchanged. When `out` = 0 no maximum is
 * kept and it returns 0.
 */
export function heatRelax(u: usize, g: usize, n: i32, r0: i32, r1: i32, colour: i32, omega: f64, out: usize): f64 {
  if (out == 0) {
    if (g == 0) relaxRows(u, g, n, r0, r1, colour, omega, out, false, false);
    else relaxRows(u, g, n, r0, r1, colour, omega, out, true, false);
    return 0;
  }
  return g == 0 ? relaxRows(u, g, n, r0, r1, colour, omega, out, false, true) : relaxRows(u, g, n, r0, r1, colour, omega, out, true, true);
}

// @ts-ignore: decorator
@inline
function relaxRows(u: usize, g: usize, n: i32, r0: i32, r1: i32, colour: i32, omega: f64, out: usize, rhs: bool, track: bool): f64 {
  const stride = (<usize>n + 2) << 3;
  const end = (<usize>n + 1) << 3;
  const plain = omega == 1;
  const quarter = f64x2.splat(0.25);
  const four = f64x2.splat(4);
  const w = f64x2.splat(omega);
  let hi = f64x2.splat(0);
  let lo = hi;
  let worst = hi;
  let change: f64 = 0;
  let residual: f64 = 0;
  for (let r = r0; r < r1; r++) {
    const row = u + <usize>r * stride;
    const rhsRow = g + <usize>r * stride;
    let c: usize = (<usize>(1 + ((r + 1 + colour) & 1))) << 3;
    // two cells of the colour per f64x2, c and c + 2: lanes 0 and 2 of the pairs at c and c + 2
    // above and below; left, old and right from the three pairs around them in the row
    let x0 = v128.load(row + c - 8);
    for (; c + 24 <= end; c += 32) {
      const p = row + c;
      const x1 = v128.load(p, 8);
      const x2 = v128.load(p, 24);
      const up = v128.shuffle<f64>(v128.load(p - stride), v128.load(p - stride, 16), 0, 2);
      const down = v128.shuffle<f64>(v128.load(p + stride), v128.load(p + stride, 16), 0, 2);
      let sum = f64x2.add(f64x2.add(f64x2.add(up, down), v128.shuffle<f64>(x0, x1, 0, 2)), v128.shuffle<f64>(x1, x2, 0, 2));
      if (rhs) sum = f64x2.add(v128.shuffle<f64>(v128.load(rhsRow + c), v128.load(rhsRow + c, 16), 0, 2), sum);
      const old = v128.shuffle<f64>(x0, x1, 1, 3);
      const gs = f64x2.mul(quarter, sum);
      const v = plain ? gs : f64x2.add(old, f64x2.mul(w, f64x2.sub(gs, old)));
      v128.store64_lane(p, v, 0);
      v128.store64_lane(p, v, 1, 16);
      if (track) {
        const d = f64x2.sub(v, old);
        hi = f64x2.pmax(hi, d);
        lo = f64x2.pmin(lo, d);
        worst = f64x2.pmax(worst, f64x2.abs(f64x2.sub(sum, f64x2.mul(four, v))));
      }
      x0 = x2;
    }
    for (; c < end; c += 16) {
      const p = row + c;
      let s = load<f64>(p - stride) + load<f64>(p + stride);
      s = s + load<f64>(p - 8);
      s = s + load<f64>(p + 8);
      if (rhs) s = load<f64>(rhsRow + c) + s;
      const old = load<f64>(p);
      const gs = 0.25 * s;
      const v = plain ? gs : old + omega * (gs - old);
      store<f64>(p, v);
      if (track) {
        change = max(change, abs(v - old));
        residual = max(residual, abs(s - 4 * v));
      }
    }
  }
  if (track) {
    const d = f64x2.pmax(hi, f64x2.neg(lo));
    change = max(change, max(f64x2.extract_lane(d, 0), f64x2.extract_lane(d, 1)));
    residual = max(residual, max(f64x2.extract_lane(worst, 0), f64x2.extract_lane(worst, 1)));
    store<f64>(out, residual);
  }
  return change;
}

/** What a fused sweep does with each row once the sweep has made it and its neighbours final. */
export const FOLLOW_NONE: i32 = 0;
/** Take the max |t| of its red cells (with the black cells' from their update: the grid's residual). */
export const FOLLOW_RED_RESIDUAL: i32 = 1;
/** Run the restriction's row pass on it (heatRestrictFine). */
export const FOLLOW_RESTRICT: i32 = 2;

/**
 * A whole red–black sweep of rows [r0, r1) but for the black cells of its first and last row
 * (heatSweepEdges does those once the neighbouring blocks' red rows are done), in one pass
 * over memory: red row r, then black row r − 1, whose red neighbours (rows r − 2 … r) are
 * then final. Each cell sees exactly the values it sees in a red half-sweep followed by a
 * black one, so the bits are the same, for half the memory traffic on grids beyond the cache.
 * Rows r0 + 2 … r1 − 3 are final two rows behind, and `follow` is applied to them there (while
 * they are in cache); heatSweepFollowEdges does it for the other rows.
 *
 * With `out` ≠ 0 returns the largest |new − old| (else 0) and stores at out the largest |t| of
 * the black cells updated, or with FOLLOW_RED_RESIDUAL of those and of the red cells followed;
 * the f64 after out is scratch. FOLLOW_RESTRICT writes the restriction's row sums into `t`
 * (m, J, A, B as for heatRestrictFine).
 */
export function heatSweepInner(u: usize, g: usize, n: i32, r0: i32, r1: i32, omega: f64, out: usize, follow: i32, t: usize, m: i32, J: usize, A: usize, B: usize): f64 {
  const scratch = out != 0 ? out + 8 : 0;
  let change: f64 = 0;
  let residual: f64 = 0;
  for (let r = r0; r < r1; r++) {
    change = max(change, heatRelax(u, g, n, r, r + 1, 0, omega, scratch));
    if (r - 1 > r0) {
      change = max(change, heatRelax(u, g, n, r - 1, r, 1, omega, out));
      if (out != 0) residual = max(residual, load<f64>(out));
    }
    const q = r - 2;
    if (follow != FOLLOW_NONE && q >= r0 + 2 && q <= r1 - 3) residual = max(residual, followRow(u, g, n, q, follow, t, m, J, A, B));
  }
  if (out != 0) store<f64>(out, residual);
  return change;
}

/** The black cells of rows r0 and r1 − 1, to finish heatSweepInner's sweep; results as it. */
export function heatSweepEdges(u: usize, g: usize, n: i32, r0: i32, r1: i32, omega: f64, out: usize): f64 {
  if (r1 <= r0) {
    if (out != 0) store<f64>(out, 0);
    return 0;
  }
  let change = heatRelax(u, g, n, r0, r0 + 1, 1, omega, out);
  if (r1 - 1 > r0) {
    const residual = out != 0 ? load<f64>(out) : 0;
    change = max(change, heatRelax(u, g, n, r1 - 1, r1, 1, omega, out));
    if (out != 0) store<f64>(out, max(residual, load<f64>(out)));
  }
  return change;
}

/**
 * `follow` on the rows heatSweepInner left (r0, r0 + 1, r1 − 2, r1 − 1), once heatSweepEdges
 * has run on every block; returns the red cells' largest |t| with FOLLOW_RED_RESIDUAL, else 0.
 */
export function heatSweepFollowEdges(u: usize, g: usize, n: i32, r0: i32, r1: i32, follow: i32, t: usize, m: i32, J: usize, A: usize, B: usize): f64 {
  let residual: f64 = 0;
  const top = min(r0 + 2, r1);
  for (let q = r0; q < top; q++) residual = max(residual, followRow(u, g, n, q, follow, t, m, J, A, B));
  for (let q = max(r1 - 2, r0 + 2); q < r1; q++) residual = max(residual, followRow(u, g, n, q, follow, t, m, J, A, B));
  return residual;
}

function followRow(u: usize, g: usize, n: i32, q: i32, follow: i32, t: usize, m: i32, J: usize, A: usize, B: usize): f64 {
  if (follow == FOLLOW_RED_RESIDUAL) return heatResidualMax(u, g, n, q, q + 1, 0);
  if (follow == FOLLOW_RESTRICT) heatRestrictFine(u, g, t, n, m, J, A, B, q, q + 1);
  return 0;
}

/** The largest |t| over the cells of one colour in rows [r0, r1); reads only. */
export function heatResidualMax(u: usize, g: usize, n: i32, r0: i32, r1: i32, colour: i32): f64 {
  return g == 0 ? residualRows(u, g, n, r0, r1, colour, false) : residualRows(u, g, n, r0, r1, colour, true);
}

// @ts-ignore: decorator
@inline
function residualRows(u: usize, g: usize, n: i32, r0: i32, r1: i32, colour: i32, rhs: bool): f64 {
  const stride = (<usize>n + 2) << 3;
  const end = (<usize>n + 1) << 3;
  const four = f64x2.splat(4);
  let worst = f64x2.splat(0);
  let residual: f64 = 0;
  for (let r = r0; r < r1; r++) {
    const row = u + <usize>r * stride;
    const rhsRow = g + <usize>r * stride;
    let c: usize = (<usize>(1 + ((r + 1 + colour) & 1))) << 3;
    // two cells per f64x2, as in relaxRows
    let x0 = v128.load(row + c - 8);
    for (; c + 24 <= end; c += 32) {
      const p = row + c;
      const x1 = v128.load(p, 8);
      const x2 = v128.load(p, 24);
      const up = v128.shuffle<f64>(v128.load(p - stride), v128.load(p - stride, 16), 0, 2);
      const down = v128.shuffle<f64>(v128.load(p + stride), v128.load(p + stride, 16), 0, 2);
      let sum = f64x2.add(f64x2.add(f64x2.add(up, down), v128.shuffle<f64>(x0, x1, 0, 2)), v128.shuffle<f64>(x1, x2, 0, 2));
      if (rhs) sum = f64x2.add(v128.shuffle<f64>(v128.load(rhsRow + c), v128.load(rhsRow + c, 16), 0, 2), sum);
      worst = f64x2.pmax(worst, f64x2.abs(f64x2.sub(sum, f64x2.mul(four, v128.shuffle<f64>(x0, x1, 1, 3)))));
      x0 = x2;
    }
    for (; c < end; c += 16) {
      const p = row + c;
      let s = load<f64>(p - stride) + load<f64>(p + stride);
      s = s + load<f64>(p - 8);
      s = s + load<f64>(p + 8);
      if (rhs) s = load<f64>(rhsRow + c) + s;
      residual = max(residual, abs(s - 4 * load<f64>(p)));
    }
  }
  return max(residual, max(f64x2.extract_lane(worst, 0), f64x2.extract_lane(worst, 1)));
}

/**
 * Restriction, first half, on fine rows [r0, r1): sums each row's residual t = g + s − 4u
 * (not stored) along the row for each coarse column L:
 *   t[i][L] ← Σ_j wL(j)·t_ij, j = lo[L]..hi[L] ascending, the sum starting from 0,
 * where wL(j) = A[j] if J[j] = L, else B[j] — the bilinear interpolation weight of coarse L
 * at fine j. The sums go to the first m + 1 cells of row i of `t`; heatRestrictCoarse then
 * sums them along columns.
 *
 * Computed as one pass along the row with two running sums, for coarse J[j] and J[j] + 1
 * (J[j] grows by at most one per fine cell): each cell's terms are added in ascending j, as
 * in the sum above. The pass also adds the terms of weight B[j] = 0 that the sum leaves out;
 * they are ±0 and a sum that starts from +0 is never −0, so they change no bit.
 */
export function heatRestrictFine(u: usize, g: usize, t: usize, n: i32, m: i32, J: usize, A: usize, B: usize, r0: i32, r1: i32): void {
  if (g == 0) restrictRows(u, g, t, n, J, A, B, r0, r1, false);
  else restrictRows(u, g, t, n, J, A, B, r0, r1, true);
}

// @ts-ignore: decorator
@inline
function restrictRows(u: usize, g: usize, t: usize, n: i32, J: usize, A: usize, B: usize, r0: i32, r1: i32, rhs: bool): void {
  const stride = (<usize>n + 2) << 3;
  for (let i = r0; i < r1; i++) {
    const offset = <usize>i * stride;
    const row = u + offset;
    const out = t + offset;
    let L: i32 = 0;
    let current: f64 = 0;
    let next: f64 = 0;
    for (let j: usize = 1; j <= <usize>n; j++) {
      const Jj = load<i32>(J + (j << 2));
      if (Jj != L) {
        if (L >= 1) store<f64>(out + (<usize>L << 3), current);
        current = next;
        next = 0;
        L = Jj;
      }
      // the cell's residual t
      const p = row + (j << 3);
      let s = load<f64>(p - stride) + load<f64>(p + stride);
      s = s + load<f64>(p - 8);
      s = s + load<f64>(p + 8);
      if (rhs) s = load<f64>(g + offset + (j << 3)) + s;
      const x = s - 4 * load<f64>(p);
      current += load<f64>(A + (j << 3)) * x;
      next += load<f64>(B + (j << 3)) * x;
    }
    if (L >= 1) store<f64>(out + (<usize>L << 3), current);
  }
}

/**
 * Restriction, second half, on coarse rows [k0, k1) of an (m+2)² grid, once heatRestrictFine
 * has run on every fine row:
 *   gc[K][L] = Σ_i wK(i)·t[i][L], i = lo[K]..hi[K] ascending, the sum starting from 0,
 * so gc = Pᵀ·t: h_c² times the full-weighted residual, the scaled right-hand side of the coarse
 * correction equation. Also zeroes the correction ec on those rows (its starting guess).
 */
export function heatRestrictCoarse(t: usize, n: i32, gc: usize, ec: usize, m: i32, J: usize, A: usize, B: usize, lo: usize, hi: usize, k0: i32, k1: i32): void {
  const stride = (<usize>n + 2) << 3;
  const cstride = (<usize>m + 2) << 3;
  const end = (<usize>m + 1) << 3;
  const zero = f64x2.splat(0);
  for (let K = k0; K < k1; K++) {
    const out = gc + <usize>K * cstride;
    const e = ec + <usize>K * cstride;
    let c: usize = 8;
    for (; c + 16 <= end; c += 16) {
      v128.store(out + c, zero);
      v128.store(e + c, zero);
    }
    if (c < end) {
      store<f64>(out + c, 0);
      store<f64>(e + c, 0);
    }
    const iHi = load<i32>(hi + (<usize>K << 2));
    for (let i = load<i32>(lo + (<usize>K << 2)); i <= iHi; i++) {
      const w = weight(J, A, B, i, K);
      const wv = f64x2.splat(w);
      const row = t + <usize>i * stride;
      c = 8;
      // lanes are independent: each cell gets exactly the scalar sum, in the same order
      for (; c + 16 <= end; c += 16) v128.store(out + c, f64x2.add(v128.load(out + c), f64x2.mul(wv, v128.load(row + c))));
      if (c < end) store<f64>(out + c, load<f64>(out + c) + w * load<f64>(row + c));
    }
  }
}

// @ts-ignore: decorator
@inline
function weight(J: usize, A: usize, B: usize, i: i32, K: i32): f64 {
  const at = <usize>i;
  return load<i32>(J + (at << 2)) == K ? load<f64>(A + (at << 3)) : load<f64>(B + (at << 3));
}

/**
 * Prolongation and correction on fine rows [r0, r1): u[i][j] += P·ec, bilinear interpolation
 * between the rows first, then along the row:
 *   T[C] = ra·e[R][C] + rb·e[R+1][C],   u[i][j] += ca·T[C] + cb·T[C+1]
 * with R = J[i], ra = A[i], rb = B[i] and C = J[j], ca = A[j], cb = B[j] (ec's edge is 0).
 * T[C] and T[C+1] are kept in registers while j walks along the row (J[j] grows by at most 1).
 */
export function heatProlong(u: usize, n: i32, ec: usize, m: i32, J: usize, A: usize, B: usize, r0: i32, r1: i32): void {
  const stride = (<usize>n + 2) << 3;
  const cstride = (<usize>m + 2) << 3;
  for (let i = r0; i < r1; i++) {
    const at = <usize>i;
    const e0 = ec + <usize>load<i32>(J + (at << 2)) * cstride;
    const e1 = e0 + cstride;
    const ra = load<f64>(A + (at << 3));
    const rb = load<f64>(B + (at << 3));
    const row = u + at * stride;
    let C: usize = 0;
    let t0 = ra * load<f64>(e0) + rb * load<f64>(e1);
    let t1 = ra * load<f64>(e0, 8) + rb * load<f64>(e1, 8);
    for (let j: usize = 1; j <= <usize>n; j++) {
      const Cj = <usize>load<i32>(J + (j << 2));
      if (Cj != C) {
        C = Cj;
        t0 = t1;
        const next = (C + 1) << 3;
        t1 = ra * load<f64>(e0 + next) + rb * load<f64>(e1 + next);
      }
      const p = row + (j << 3);
      store<f64>(p, load<f64>(p) + (load<f64>(A + (j << 3)) * t0 + load<f64>(B + (j << 3)) * t1));
    }
  }
}
