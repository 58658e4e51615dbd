/**
 * The plain-JavaScript side of the benchmarks: each workload written the ordinary way, on one
 * thread, with the same definition as its kernel (so the suites can check that both give the
 * same answer before timing either). These are the baselines the speedups are measured against.
 */

/** Σ_{i=1..n} 4/(1 + x_i²)·h, x_i = (i − 0.5)·h, h = 1/n: π by the midpoint rule. */
export function jsPi(n: number): number {
  const h = 1 / n;
  let s = 0;
  for (let i = 1; i <= n; i++) {
    const x = (i - 0.5) * h;
    s += 4 / (1 + x * x);
  }
  return s * h;
}

/** One midpoint term, 1/(1 + x²) at x = (i − 0.5)·(1/n) as the scalar kernel computes it: the map suite's item. */
export function jsPiTerm(i: number, n: number): number {
  const x = (i - 0.5) * (1 / n);
  return 1 / (1 + x * x);
}

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;

/** Philox4x32-10 into `out`; 32×32→64-bit products through 16-bit halves (exact in f64). */
function philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let r = 0; r < 10; r++) {
    const hi0 = Math.floor(((c0 >>> 16) * M0 + Math.floor(((c0 & 0xffff) * M0) / 65536)) / 65536);
    const hi1 = Math.floor(((c2 >>> 16) * M1 + Math.floor(((c2 & 0xffff) * M1) / 65536)) / 65536);
    const lo0 = Math.imul(c0, M0), lo1 = Math.imul(c2, M1);
    c0 = (hi1 ^ c1 ^ k0) >>> 0; c1 = lo1 >>> 0; c2 = (hi0 ^ c3 ^ k1) >>> 0; c3 = lo0 >>> 0;
    k0 = (k0 + W0) >>> 0; k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

/**
 * Monte Carlo hits among samples [0, n), n a multiple of 4, as assembly/montecarlo.ts defines
 * them: four samples per Philox call on counter (c, 0); a sample too close to the circle's edge
 * for 15-bit coordinates is refined with counter (c, 1) and decided exactly with BigInt.
 */
export function jsMonteCarloHits(n: number, keyLo: number, keyHi: number): number {
  const words = new Uint32Array(4);
  const refine = new Uint32Array(4);
  let hits = 0;
  for (let c = 0; c < n / 4; c++) {
    philox(c >>> 0, Math.floor(c / 2 ** 32), 0, 0, keyLo >>> 0, keyHi >>> 0, words);
    for (let k = 0; k < 4; k++) {
      const w = words[k]!, a = w >>> 17, b = (w & 0xffff) >>> 1;
      if (a * a + b * b >= 2 ** 30) continue;
      if ((a + 1) ** 2 + (b + 1) ** 2 <= 2 ** 30) { hits++; continue; }
      philox(c >>> 0, Math.floor(c / 2 ** 32), 1, 0, keyLo >>> 0, keyHi >>> 0, refine);
      const r = refine[k]!;
      const x = BigInt(2 * (a * 2 ** 15 + (r >>> 17)) + 1), y = BigInt(2 * (b * 2 ** 15 + ((r & 0xffff) >>> 1)) + 1);
      if (x * x + y * y < 2n ** 62n) hits++;
    }
  }
  return hits;
}

/** π(n) by a plain odd-only segmented sieve of Eratosthenes (one byte per odd number). */
export function jsCountPrimes(n: number): number {
  if (n < 2) return 0;
  const root = Math.floor(Math.sqrt(n));
  const small = new Uint8Array(root + 1);
  const base: number[] = [];
  for (let i = 3; i <= root; i += 2) {
    if (small[i]) continue;
    base.push(i);
    for (let j = i * i; j <= root; j += 2 * i) small[j] = 1;
  }
  const SEGMENT = 32768; // odd numbers per segment
  const seg = new Uint8Array(SEGMENT);
  const odds = Math.floor((n + 1) / 2);
  let count = 1; // 2
  for (let k0 = 0; k0 < odds; k0 += SEGMENT) {
    const len = Math.min(SEGMENT, odds - k0);
    const lo = 2 * k0 + 1, hi = 2 * (k0 + len - 1) + 1;
    seg.fill(1, 0, len);
    for (const p of base) {
      if (p * p > hi) break;
      let m = p * p;
      if (m < lo) { m = Math.ceil(lo / p) * p; if (m % 2 === 0) m += p; }
      for (let j = (m - 1) / 2 - k0; j < len; j += p) seg[j] = 0;
    }
    if (k0 === 0) seg[0] = 0; // 1
    for (let j = 0; j < len; j++) count += seg[j]!;
  }
  return count;
}

/** Σ_{i<terms} (−1)^i ⌊4·10^digits / (2i+1)⌋ with BigInt: the series scaled by 10^digits, as bc sums it. */
export function jsLeibniz(terms: number, digits: number): bigint {
  const numerator = 4n * 10n ** BigInt(digits);
  let sum = 0n;
  for (let i = 0; i < terms; i++) {
    const term = numerator / BigInt(2 * i + 1);
    sum += i % 2 === 0 ? term : -term;
  }
  return sum;
}

/**
 * `sweeps` Jacobi sweeps of the heat plate (N interior cells a side, top edge `top`, the other
 * edges and the interior 0), each cell 0.25·(((up + down) + left) + right) as the kernel adds
 * them, so the grids are bit for bit the kernel's. Returns the final (N+2)² grid.
 */
export function jsHeat(n: number, top: number, sweeps: number): Float64Array {
  const w = n + 2;
  let a = new Float64Array(w * w);
  let b = new Float64Array(w * w);
  a.fill(top, 0, w);
  b.fill(top, 0, w);
  for (let s = 0; s < sweeps; s++) {
    for (let r = 1; r <= n; r++) {
      const row = r * w;
      for (let c = 1; c <= n; c++) {
        const i = row + c;
        b[i] = 0.25 * (a[i - w]! + a[i + w]! + a[i - 1]! + a[i + 1]!);
      }
    }
    const t = a; a = b; b = t;
  }
  return a;
}
