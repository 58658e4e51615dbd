/**
 * Plain serial references for the heat plate's red–black methods, written from the method's
 * definition (docs/algorithms.md, assembly/heat-relax.ts's arithmetic), independently of the
 * kernels: SOR sweeps and V(2,2) multigrid cycles on arrays, one cell at a time.
 */
export type Edge = number | number[];
export interface Plate { size: number; top?: Edge; bottom?: Edge; left?: Edge; right?: Edge; initial?: number; tolerance: number; maxIterations: number }

export function plateOf(p: Plate): Float64Array {
  const n = p.size;
  const w = n + 2;
  const at = (e: Edge | undefined, i: number): number => (e === undefined ? 0 : typeof e === "number" ? e : e[i]!);
  const u = new Float64Array(w * w);
  for (let r = 1; r <= n; r++) {
    for (let c = 1; c <= n; c++) u[r * w + c] = p.initial ?? 0;
    u[r * w] = at(p.left, r);
    u[r * w + n + 1] = at(p.right, r);
  }
  for (let c = 0; c < w; c++) {
    u[c] = at(p.top, c);
    u[(n + 1) * w + c] = at(p.bottom, c);
  }
  return u;
}

export function centreOf(u: Float64Array, n: number): number {
  const w = n + 2;
  if (n % 2 === 1) return u[((n + 1) / 2) * w + (n + 1) / 2]!;
  const a = n / 2;
  const b = a + 1;
  return (u[a * w + a]! + u[a * w + b]! + u[b * w + a]! + u[b * w + b]!) / 4;
}

/** ((up + down) + left) + right, plus g first when there is a right-hand side. */
function neighbours(u: Float64Array, g: Float64Array | null, i: number, w: number): number {
  const s = u[i - w]! + u[i + w]! + u[i - 1]! + u[i + 1]!;
  return g ? g[i]! + s : s;
}

/** The residual max |Δh u| of a plate grid: max |s − 4u| · (n+1)². */
export function residualOf(u: Float64Array, n: number): number {
  const w = n + 2;
  let worst = 0;
  for (let r = 1; r <= n; r++) for (let c = 1; c <= n; c++) worst = Math.max(worst, Math.abs(neighbours(u, null, r * w + c, w) - 4 * u[r * w + c]!));
  return worst * (n + 1) ** 2;
}

/** One half-sweep of colour `colour` ((r + c) % 2), in place; returns the max |new − old|. */
function relax(u: Float64Array, g: Float64Array | null, n: number, colour: number, omega: number): number {
  const w = n + 2;
  let change = 0;
  for (let r = 1; r <= n; r++) {
    for (let c = 1; c <= n; c++) {
      if ((r + c) % 2 !== colour) continue;
      const i = r * w + c;
      const gs = 0.25 * neighbours(u, g, i, w);
      const v = omega === 1 ? gs : u[i]! + omega * (gs - u[i]!);
      change = Math.max(change, Math.abs(v - u[i]!));
      u[i] = v;
    }
  }
  return change;
}

/** A solve's result, with each iteration's residual and max change (maxDiffs[k]: iteration k + 1's). */
export interface Run { grid: Float64Array; iterations: number; residuals: number[]; maxDiffs: number[]; maxDiff: number; converged: boolean; centre: number }

export function serialSor(p: Plate): Run {
  const n = p.size;
  const omega = 2 / (1 + Math.sin(Math.PI / (n + 1)));
  const u = plateOf(p);
  const residuals: number[] = [];
  const maxDiffs: number[] = [];
  let maxDiff = 0;
  for (;;) {
    const red = relax(u, null, n, 0, omega);
    const black = relax(u, null, n, 1, omega);
    maxDiff = Math.max(red, black);
    maxDiffs.push(maxDiff);
    residuals.push(residualOf(u, n));
    if (residuals.at(-1)! < p.tolerance || residuals.length >= p.maxIterations) break;
  }
  return { grid: u, iterations: residuals.length, residuals, maxDiffs, maxDiff, converged: residuals.at(-1)! < p.tolerance, centre: centreOf(u, n) };
}

/** Multigrid grids: n → ⌊(n−1)/2⌋ down to 1 or 2 cells per side. */
export function levelSizes(n: number): number[] {
  const sizes = [n];
  while (sizes.at(-1)! >= 3) sizes.push(Math.floor((sizes.at(-1)! - 1) / 2));
  return sizes;
}

/**
 * P[i][K], the bilinear interpolation weight of coarse cell K (at K/(m+1)) at fine cell i (at
 * i/(n+1)): 1 − |x_i − X_K|/H inside the hat, as an exact ratio of integers.
 */
function hat(n: number, m: number, i: number, K: number): number {
  const d = Math.abs(i * (m + 1) - K * (n + 1)); // |x_i − X_K| in units of 1/((n+1)(m+1))
  return d >= n + 1 ? 0 : (n + 1 - d) / (n + 1);
}

export function serialMultigrid(p: Plate): Run {
  const sizes = levelSizes(p.size);
  const L = sizes.length;
  const u = sizes.map((n, l) => (l === 0 ? plateOf(p) : new Float64Array((n + 2) ** 2)));
  const g = sizes.map((n, l) => (l === 0 ? null : new Float64Array((n + 2) ** 2)));
  let lastChange = 0;
  const smooth = (l: number, sweeps: number): void => {
    for (let s = 0; s < sweeps; s++) {
      const red = relax(u[l]!, g[l]!, sizes[l]!, 0, 1);
      const black = relax(u[l]!, g[l]!, sizes[l]!, 1, 1);
      if (l === 0) lastChange = Math.max(red, black);
    }
  };
  const cycle = (l: number): void => {
    if (l === L - 1) return smooth(l, 16);
    smooth(l, 2);
    const n = sizes[l]!;
    const m = sizes[l + 1]!;
    const w = n + 2;
    const wc = m + 2;
    const t = new Float64Array(w * w);
    for (let r = 1; r <= n; r++) for (let c = 1; c <= n; c++) t[r * w + c] = neighbours(u[l]!, g[l]!, r * w + c, w) - 4 * u[l]![r * w + c]!;
    // g_c = Pᵀ t: for each coarse cell, rows then columns in ascending fine index, weight ≠ 0 only
    const support = Array.from({ length: m + 1 }, (_, K) => Array.from({ length: n }, (_, k) => k + 1).filter((i) => hat(n, m, i, K) > 0));
    for (let R = 1; R <= m; R++) {
      for (let C = 1; C <= m; C++) {
        let sum = 0;
        for (const i of support[R]!) {
          let rowSum = 0;
          for (const j of support[C]!) rowSum += hat(n, m, j, C) * t[i * w + j]!;
          sum += hat(n, m, i, R) * rowSum;
        }
        g[l + 1]![R * wc + C] = sum;
      }
    }
    u[l + 1]!.fill(0);
    cycle(l + 1);
    // u += P e: e[R][C] with R the coarse cell at or left of fine i, weights ra, rb (hat of R, R+1)
    const e = u[l + 1]!;
    const left = (i: number): number => Math.floor((i * (m + 1)) / (n + 1));
    for (let i = 1; i <= n; i++) {
      const R = left(i);
      const ra = hat(n, m, i, R);
      const rb = hat(n, m, i, R + 1);
      for (let j = 1; j <= n; j++) {
        const C = left(j);
        const ca = hat(n, m, j, C);
        const cb = hat(n, m, j, C + 1);
        // between the rows first, then along the row
        const t0 = ra * e[R * wc + C]! + rb * e[(R + 1) * wc + C]!;
        const t1 = ra * e[R * wc + C + 1]! + rb * e[(R + 1) * wc + C + 1]!;
        u[l]![i * w + j] += ca * t0 + cb * t1;
      }
    }
    smooth(l, 2);
  };
  const residuals: number[] = [];
  const maxDiffs: number[] = [];
  for (;;) {
    cycle(0);
    residuals.push(residualOf(u[0]!, p.size));
    maxDiffs.push(lastChange);
    if (residuals.at(-1)! < p.tolerance || residuals.length >= p.maxIterations) break;
  }
  return { grid: u[0]!, iterations: residuals.length, residuals, maxDiffs, maxDiff: lastChange, converged: residuals.at(-1)! < p.tolerance, centre: centreOf(u[0]!, p.size) };
}
