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
  let change: f64 = 0;
  let residual: f64 = 0;
  for (let r = r0; r < r1; r++) {
    const row = u + <usize>r * stride;
    const rhsRow = g + <usize>r * stride;
    for (let c: usize = (<usize>(1 + ((r + 1 + colour) & 1))) << 3; c < end; c += 16) {
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
  if (track) store<f64>(out, residual);
  return change;
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
  let residual: f64 = 0;
  for (let r = r0; r < r1; r++) {
    const row = u + <usize>r * stride;
    const rhsRow = g + <usize>r * stride;
    for (let c: usize = (<usize>(1 + ((r + 1 + colour) & 1))) << 3; c < end; c += 16) {
      const p = row + c;
      let s = load<f64>(p - stride) + load<f64>(p + stride);
      s = s + load<f64>(p - 8);
      s = s + load<f64>(p + 8);
      if (rhs) s = load<f64>(rhsRow + c) + s;
      residual = max(residual, abs(s - 4 * load<f64>(p)));
    }
  }
  return residual;
}

/** Writes t = g + s − 4u of every cell in rows [r0, r1) into `t` (same shape as `u`). */
export function heatResidualGrid(u: usize, g: usize, t: usize, n: i32, r0: i32, r1: i32): void {
  const stride = (<usize>n + 2) << 3;
  const end = (<usize>n + 1) << 3;
  for (let r = r0; r < r1; r++) {
    const offset = <usize>r * stride;
    const row = u + offset;
    for (let c: usize = 8; c < end; c += 8) {
      const p = row + c;
      let s = load<f64>(p - stride) + load<f64>(p + stride);
      s = s + load<f64>(p - 8);
      s = s + load<f64>(p + 8);
      if (g != 0) s = load<f64>(g + offset + c) + s;
      store<f64>(t + offset + c, s - 4 * load<f64>(p));
    }
  }
}

/**
 * Restriction, first half, on fine rows [r0, r1): writes each row's residual t = g + s − 4u
 * (as heatResidualGrid), then sums it along the row for each coarse column L, in place:
 *   t[i][L] ← Σ_j wL(j)·t[i][j], j = lo[L]..hi[L] ascending, the sum starting from 0,
 * where wL(j) = A[j] if J[j] = L, else B[j] — the bilinear interpolation weight of coarse L
 * at fine j. In place is safe: lo[L+1] > L, since the fine grid is at least twice as fine.
 * heatRestrictCoarse then sums these along columns.
 *
 * Computed as one pass along the row with two running sums, for coarse J[j] and J[j] + 1
 * (J[j] grows by at most one per fine cell): each cell's terms are added in ascending j, as
 * in the sum above. The pass also adds the terms of weight B[j] = 0 that the sum leaves out;
 * they are ±0 and a sum that starts from +0 is never −0, so they change no bit.
 */
export function heatRestrictFine(u: usize, g: usize, t: usize, n: i32, m: i32, J: usize, A: usize, B: usize, lo: usize, hi: usize, r0: i32, r1: i32): void {
  const stride = (<usize>n + 2) << 3;
  for (let i = r0; i < r1; i++) {
    heatResidualGrid(u, g, t, n, i, i + 1);
    const row = t + <usize>i * stride;
    let L: i32 = 0;
    let current: f64 = 0;
    let next: f64 = 0;
    for (let j: usize = 1; j <= <usize>n; j++) {
      const Jj = load<i32>(J + (j << 2));
      if (Jj != L) {
        if (L >= 1) store<f64>(row + (<usize>L << 3), current);
        current = next;
        next = 0;
        L = Jj;
      }
      const x = load<f64>(row + (j << 3));
      current += load<f64>(A + (j << 3)) * x;
      next += load<f64>(B + (j << 3)) * x;
    }
    if (L >= 1) store<f64>(row + (<usize>L << 3), current);
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
 *   ra·(ca·e[R][C] + cb·e[R][C+1]) + rb·(ca·e[R+1][C] + cb·e[R+1][C+1])
 * with R = J[i], ra = A[i], rb = B[i] and C = J[j], ca = A[j], cb = B[j] (ec's edge is 0).
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
    for (let j: usize = 1; j <= <usize>n; j++) {
      const C = <usize>load<i32>(J + (j << 2)) << 3;
      const ca = load<f64>(A + (j << 3));
      const cb = load<f64>(B + (j << 3));
      const v = ra * (ca * load<f64>(e0 + C) + cb * load<f64>(e0 + C, 8)) + rb * (ca * load<f64>(e1 + C) + cb * load<f64>(e1 + C, 8));
      store<f64>(row + (j << 3), load<f64>(row + (j << 3)) + v);
    }
  }
}
