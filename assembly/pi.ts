/**
 * π by the midpoint rule. Each kernel returns Σ 1/(1 + x_i²) for i in [start, end) with
 * x_i = (i − 0.5)/n, 1-based; the caller multiplies the sum of the parts by 4/n. Indices are
 * f64 so that n may pass 2³² (integers stay exact up to 2⁵³).
 */

/** Reference kernel: one division per term. */
export function piMidpointScalar(start: f64, end: f64, n: f64): f64 {
  const h = 1.0 / n;
  let s0: f64 = 0, s1: f64 = 0;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const x0 = (i - 0.5) * h;
    const x1 = (i + 0.5) * h;
    s0 += 1.0 / (1.0 + x0 * x0);
    s1 += 1.0 / (1.0 + x1 * x1);
  }
  if (i < end) {
    const x = (i - 0.5) * h;
    s0 += 1.0 / (1.0 + x * x);
  }
  return s0 + s1;
}

/**
 * SIMD kernel, 8 terms per iteration. Two changes to the arithmetic, both docs/algorithms.md:
 * 1. The divider is the bottleneck (one f64x2 division per ~4 cycles), so four terms share one
 *    division: 1/a + 1/b + 1/c + 1/d = ((a+b)·cd + (c+d)·ab) / (ab·cd).
 * 2. 1/(1 + (k/n)²) = n² / (n² + k²) with k = i − 0.5, which saves the scaling by h per term;
 *    the n² factor is applied once per call. Products of four (n² + k²) stay below 2⁴⁰⁰ for
 *    n ≤ 10¹², far from overflow.
 */
export function piMidpointSimd(start: f64, end: f64, n: f64): f64 {
  const n2 = n * n;
  const c = f64x2.splat(n2);
  const step = f64x2.splat(8.0);
  let ka = f64x2(start - 0.5, start + 0.5);
  let kb = f64x2.add(ka, f64x2.splat(2.0));
  let kc = f64x2.add(ka, f64x2.splat(4.0));
  let kd = f64x2.add(ka, f64x2.splat(6.0));
  let acc = f64x2.splat(0.0);
  let i = start;
  for (; i + 7 < end; i += 8) {
    const a = f64x2.add(f64x2.mul(ka, ka), c);
    const b = f64x2.add(f64x2.mul(kb, kb), c);
    const cc = f64x2.add(f64x2.mul(kc, kc), c);
    const d = f64x2.add(f64x2.mul(kd, kd), c);
    const ab = f64x2.mul(a, b);
    const cd = f64x2.mul(cc, d);
    const num = f64x2.add(f64x2.mul(f64x2.add(a, b), cd), f64x2.mul(f64x2.add(cc, d), ab));
    acc = f64x2.add(acc, f64x2.div(num, f64x2.mul(ab, cd)));
    ka = f64x2.add(ka, step);
    kb = f64x2.add(kb, step);
    kc = f64x2.add(kc, step);
    kd = f64x2.add(kd, step);
  }
  let s = (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1)) * n2;
  const h = 1.0 / n;
  for (; i < end; i += 1) {
    const x = (i - 0.5) * h;
    s += 1.0 / (1.0 + x * x);
  }
  return s;
}
