/**
 * Monte Carlo π with the counter-based generator Philox4x32-10 (Salmon, Moraes, Dror, Shaw,
 * "Parallel Random Numbers: As Easy as 1, 2, 3", SC11). Nothing is carried from one sample to
 * the next, so any range of samples can be counted anywhere, in any order.
 *
 * Sample i (an integer below 2⁵³), with c = ⌊i / 4⌋, k = i mod 4, key = (seed mod 2³², ⌊seed / 2³²⌋):
 *   w = word k of Philox4x32-10((c mod 2³², ⌊c / 2³²⌋, 0, 0), key)   — the primary word;
 *   r = word k of Philox4x32-10((c mod 2³², ⌊c / 2³²⌋, 1, 0), key)   — the refinement word;
 *   a word's two 15-bit digits are hi(w) = w >>> 17 and lo(w) = (w & 0xFFFF) >>> 1;
 *   X = 2¹⁵·hi(w) + hi(r), Y = 2¹⁵·lo(w) + lo(r)  (30-bit integers);
 *   the point is ((X + ½) / 2³⁰, (Y + ½) / 2³⁰), a cell midpoint of a 2³⁰ × 2³⁰ grid;
 *   it hits when (2X + 1)² + (2Y + 1)² < 2⁶², i.e. x² + y² < 1, decided exactly in integers.
 * The primary digits alone decide all but ~6·10⁻⁵ of the samples (cells of the 2¹⁵ grid that
 * straddle the circle), so the refinement word is computed only for those: four samples per
 * Philox call. docs/algorithms.md has the details.
 */

const M0: u32 = 0xD2511F53;
const M1: u32 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;
const LIMIT: u64 = 1 << 62;

const CELL_EDGE: u32 = 1 << 30;

/** Word k (0..3) of Philox4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1). */
function philoxWord(c0: u32, c1: u32, c2: u32, c3: u32, k: u32, k0: u32, k1: u32): u32 {
  for (let r = 0; r < 10; r++) {
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    c0 = <u32>(p1 >>> 32) ^ c1 ^ k0;
    c1 = <u32>p1;
    c2 = <u32>(p0 >>> 32) ^ c3 ^ k1;
    c3 = <u32>p0;
    k0 += W0;
    k1 += W1;
  }
  return k == 0 ? c0 : k == 1 ? c1 : k == 2 ? c2 : c3;
}

/**
 * Philox4x32-10 of one counter (c0, c1, c2, c3) under key (k0, k1); writes the 4 output words
 * to `out` (16 bytes). For the known-answer tests of the generator.
 */
export function philox4x32_10(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  for (let k: u32 = 0; k < 4; k++) store<u32>(out + (<usize>k << 2), philoxWord(c0, c1, c2, c3, k, k0, k1));
}

/** 1 when the point with primary digits (a, b) and refinement word r hits. */
@inline function refinedHit(a: u32, b: u32, r: u32): u32 {
  const x = ((<u64>a << 15) | <u64>(r >>> 17)) * 2 + 1;
  const y = ((<u64>b << 15) | <u64>((r & 0xFFFF) >>> 1)) * 2 + 1;
  return <u32>(x * x + y * y < LIMIT);
}

/**
 * 1 when sample (counter c, word k) with primary word w hits: decided by the primary digits
 * unless their cell straddles the circle, then by the refinement word.
 */
@inline function wordHit(c: u64, k: u32, w: u32, k0: u32, k1: u32): u32 {
  const a = w >>> 17, b = (w & 0xFFFF) >>> 1;
  if (a * a + b * b >= CELL_EDGE) return 0;
  if ((a + 1) * (a + 1) + (b + 1) * (b + 1) <= CELL_EDGE) return 1;
  return refinedHit(a, b, philoxWord(<u32>c, <u32>(c >>> 32), 1, 0, k, k0, k1));
}

/** 1 when sample i hits: the definition above, one sample at a time. */
function sampleHit(i: u64, k0: u32, k1: u32): u32 {
  const c = i >>> 2;
  const k = <u32>(i & 3);
  return wordHit(c, k, philoxWord(<u32>c, <u32>(c >>> 32), 0, 0, k, k0, k1), k0, k1);
}

/** Hits among the 16 samples of counters c..c+3, one at a time: the SIMD step's rare path. */
function groupHits(c: u64, k0: u32, k1: u32): u32 {
  let hits: u32 = 0;
  for (let i = c << 2; i < (c + 4) << 2; i++) hits += sampleHit(i, k0, k1);
  return hits;
}

/** Scalar kernel: hits among samples [start, end), one sample at a time. */
export function monteCarloHitsScalar(start: f64, end: f64, keyLo: i32, keyHi: i32): f64 {
  let hits: u64 = 0;
  const last = <u64>end;
  for (let i = <u64>start; i < last; i++) hits += sampleHit(i, <u32>keyLo, <u32>keyHi);
  return <f64>hits;
}

/** The high halves of the four 64-bit products in pl (lanes 0, 1) and ph (lanes 2, 3). */
@inline function hi32(pl: v128, ph: v128): v128 {
  return i32x4.shuffle(pl, ph, 1, 3, 5, 7);
}

/** Per lane, minus the number of the four words' cells that lie wholly inside the quarter disc. */
@inline function inside(w0: v128, w1: v128, w2: v128, w3: v128): v128 {
  return i32x4.add(i32x4.add(cellInside(w0), cellInside(w1)), i32x4.add(cellInside(w2), cellInside(w3)));
}

/** All-ones lanes where the word's cell lies wholly inside: (a+1)² + (b+1)² ≤ 2³⁰. */
@inline function cellInside(w: v128): v128 {
  const d1 = i16x8.add(i16x8.shr_u(w, 1), i16x8.splat(1));
  // wraps to 2³¹ only for a = b = 2¹⁵ − 1, which the unsigned compare rejects
  return i32x4.le_u(i32x4.dot_i16x8_s(d1, d1), i32x4.splat(CELL_EDGE));
}

/** All-ones lanes where the word's cell lies wholly inside or wholly outside (a² + b² ≥ 2³⁰). */
@inline function cellDecided(w: v128): v128 {
  const d = i16x8.shr_u(w, 1);
  return v128.or(cellInside(w), i32x4.ge_s(i32x4.dot_i16x8_s(d, d), i32x4.splat(CELL_EDGE)));
}

/** All-ones lanes where all four words' cells are decided. */
@inline function decided(w0: v128, w1: v128, w2: v128, w3: v128): v128 {
  return v128.and(v128.and(cellDecided(w0), cellDecided(w1)), v128.and(cellDecided(w2), cellDecided(w3)));
}

/**
 * SIMD kernel: hits among samples [start, end). Eight counters (32 samples) per step, as two
 * independent sets of four, one counter per i32x4 lane. The high halves of Philox's 32×32→64-bit
 * products come from i64x2.extmul and a shuffle, the low halves from i32x4.mul (one instruction,
 * where regrouping them costs a shuffle: V8 lowers each extmul to two unpacks and a pmuludq, and
 * shuffles are what this loop runs short of; docs/algorithms.md). A word's digits (a, b) sit in
 * its two i16 halves after a 1-bit shift, so i32x4.dot_i16x8_s gives a² + b² and
 * (a+1)² + (b+1)² for four samples at once. A step with a straddling cell is recounted by the
 * scalar path (about one step in 500), and so are the samples before the first multiple of 4
 * and after the last full step.
 */
export function monteCarloHits(start: f64, end: f64, keyLo: i32, keyHi: i32): f64 {
  const k0 = <u32>keyLo, k1 = <u32>keyHi;
  let i = <u64>start;
  const last = <u64>end;
  let hits: u64 = 0;
  for (; (i & 3) != 0 && i < last; i++) hits += sampleHit(i, k0, k1);
  // V8 (TurboFan, Node 20) schedules loop-invariant values inside the loop and rebuilds each
  // v128 constant where it is used; carried as loop variables "updated" by + 0 (a zero that
  // binaryen cannot see: the lanes of ⌊start·0⌋) they stay in registers. The round keys are
  // vectors advanced by vector adds, not scalars splatted every round.
  const zero = i32x4.splat(<i32>(start * 0.0));
  let m0 = i32x4.splat(M0), m1 = i32x4.splat(M1);
  let w0 = i32x4.splat(W0), w1 = i32x4.splat(W1);
  let key0s = i32x4.splat(k0), key1s = i32x4.splat(k1);
  let lanes = i32x4(0, 1, 2, 3), lanes4 = i32x4(4, 5, 6, 7);
  while (i + 32 <= last) {
    // lane counts grow by at most 8 a step: fold them into `hits` every 2^24 steps
    const stop = min<u64>(last, i + (32 << 24));
    let acc = i32x4.splat(0);
    for (; i + 32 <= stop; i += 32) {
      const c = i >>> 2;
      const base = i32x4.splat(<u32>c);
      const hiWord = i32x4.splat(<u32>(c >>> 32));
      let x0 = i32x4.add(base, lanes);
      let y0 = i32x4.add(base, lanes4);
      // a lane whose low word wrapped past 2³² carries into the high word
      let x1 = i32x4.sub(hiWord, i32x4.lt_u(x0, base));
      let y1 = i32x4.sub(hiWord, i32x4.lt_u(y0, base));
      let x2 = i32x4.splat(0), y2 = i32x4.splat(0);
      let x3 = i32x4.splat(0), y3 = i32x4.splat(0);
      let key0 = key0s, key1 = key1s;
      for (let r = 0; r < 10; r++) {
        const xlo0 = i32x4.mul(x0, m0), xlo2 = i32x4.mul(x2, m1);
        const ylo0 = i32x4.mul(y0, m0), ylo2 = i32x4.mul(y2, m1);
        const xhi0 = hi32(i64x2.extmul_low_i32x4_u(x0, m0), i64x2.extmul_high_i32x4_u(x0, m0));
        const xhi2 = hi32(i64x2.extmul_low_i32x4_u(x2, m1), i64x2.extmul_high_i32x4_u(x2, m1));
        const yhi0 = hi32(i64x2.extmul_low_i32x4_u(y0, m0), i64x2.extmul_high_i32x4_u(y0, m0));
        const yhi2 = hi32(i64x2.extmul_low_i32x4_u(y2, m1), i64x2.extmul_high_i32x4_u(y2, m1));
        x0 = v128.xor(v128.xor(xhi2, x1), key0);
        x1 = xlo2;
        x2 = v128.xor(v128.xor(xhi0, x3), key1);
        x3 = xlo0;
        y0 = v128.xor(v128.xor(yhi2, y1), key0);
        y1 = ylo2;
        y2 = v128.xor(v128.xor(yhi0, y3), key1);
        y3 = ylo0;
        key0 = i32x4.add(key0, w0);
        key1 = i32x4.add(key1, w1);
      }
      const inA = inside(x0, x1, x2, x3), inB = inside(y0, y1, y2, y3);
      if (i32x4.all_true(v128.and(decided(x0, x1, x2, x3), decided(y0, y1, y2, y3)))) {
        acc = i32x4.sub(i32x4.sub(acc, inA), inB);
      } else {
        hits += groupHits(c, k0, k1) + groupHits(c + 4, k0, k1);
      }
    }
    m0 = i32x4.add(m0, zero); m1 = i32x4.add(m1, zero);
    w0 = i32x4.add(w0, zero); w1 = i32x4.add(w1, zero);
    key0s = i32x4.add(key0s, zero); key1s = i32x4.add(key1s, zero);
    lanes = i32x4.add(lanes, zero); lanes4 = i32x4.add(lanes4, zero);
    hits += <u64><u32>i32x4.extract_lane(acc, 0) + <u64><u32>i32x4.extract_lane(acc, 1) +
      <u64><u32>i32x4.extract_lane(acc, 2) + <u64><u32>i32x4.extract_lane(acc, 3);
  }
  for (; i < last; i++) hits += sampleHit(i, k0, k1);
  return <f64>hits;
}
