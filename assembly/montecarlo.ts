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
 *
 * The SIMD kernel is bound by how many instructions V8 issues per sample (measured on AMD EPYC:
 * shuffles and spills cost as much as multiplies), so it saves them where the stream allows:
 * rounds 1 and 2 need one vector multiply instead of two (c2 = c3 = 0, and word 0 after round 1
 * is the same in every lane), and a word is tested with one product a² + b² (see BAND).
 */

const M0: u32 = 0xD2511F53;
const M1: u32 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;
const LIMIT: u64 = 1 << 62;

const CELL_EDGE: u32 = 1 << 30;
/**
 * A straddling cell's a² + b² lies less than BAND below 2³⁰: (a+1)² + (b+1)² exceeds a² + b² by
 * 2(a + b) + 2 ≤ 2¹⁷. So a word whose a² + b² is not in [2³⁰ − BAND, 2³⁰) is decided by
 * a² + b² < 2³⁰ alone.
 */
const BAND: u32 = 1 << 17;

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

/**
 * Per lane, the high 32 bits of x·m. V8 (Node 20, x64) lowers each extmul to two unpacks and a
 * pmuludq, and hi32 to one shufps: those shuffles are what this kernel runs short of. The low
 * halves come from i32x4.mul, one instruction on the multiplier instead of another shuffle.
 */
@inline function mulhi(x: v128, m: v128): v128 {
  return hi32(i64x2.extmul_low_i32x4_u(x, m), i64x2.extmul_high_i32x4_u(x, m));
}

/** Hits among the 16 samples of counters c..c+3, whose words 0..3 are the lanes of w0..w3 (exact). */
function laneHits(c: u64, w0: v128, w1: v128, w2: v128, w3: v128, k0: u32, k1: u32): u32 {
  return wordHit(c, 0, i32x4.extract_lane(w0, 0), k0, k1) + wordHit(c, 1, i32x4.extract_lane(w1, 0), k0, k1) +
    wordHit(c, 2, i32x4.extract_lane(w2, 0), k0, k1) + wordHit(c, 3, i32x4.extract_lane(w3, 0), k0, k1) +
    wordHit(c + 1, 0, i32x4.extract_lane(w0, 1), k0, k1) + wordHit(c + 1, 1, i32x4.extract_lane(w1, 1), k0, k1) +
    wordHit(c + 1, 2, i32x4.extract_lane(w2, 1), k0, k1) + wordHit(c + 1, 3, i32x4.extract_lane(w3, 1), k0, k1) +
    wordHit(c + 2, 0, i32x4.extract_lane(w0, 2), k0, k1) + wordHit(c + 2, 1, i32x4.extract_lane(w1, 2), k0, k1) +
    wordHit(c + 2, 2, i32x4.extract_lane(w2, 2), k0, k1) + wordHit(c + 2, 3, i32x4.extract_lane(w3, 2), k0, k1) +
    wordHit(c + 3, 0, i32x4.extract_lane(w0, 3), k0, k1) + wordHit(c + 3, 1, i32x4.extract_lane(w1, 3), k0, k1) +
    wordHit(c + 3, 2, i32x4.extract_lane(w2, 3), k0, k1) + wordHit(c + 3, 3, i32x4.extract_lane(w3, 3), k0, k1);
}

/** Per lane, minus 1 where the word's primary cell has a² + b² < 2³⁰ (its lower corner is inside). */
@inline function lowerInside(w: v128, edge: v128): v128 {
  const d = i16x8.shr_u(w, 1); // the digits (b, a) in the word's two i16 halves
  return i32x4.gt_s(edge, i32x4.dot_i16x8_s(d, d));
}

/** Per lane, 2³⁰ − 1 − (a² + b²) (unsigned): below BAND for every word whose cell straddles, and for a few more. */
@inline function gap(w: v128, edge1: v128): v128 {
  const d = i16x8.shr_u(w, 1);
  return i32x4.sub(edge1, i32x4.dot_i16x8_s(d, d));
}

/**
 * SIMD kernel: hits among samples [start, end). Twelve counters (48 samples) per step, as three
 * independent sets of four, one counter per i32x4 lane (two sets leave the multiplier idle
 * between dependent rounds, four spill). A step whose words all lie outside the band below 2³⁰
 * (see BAND) adds its lower-corner counts; one with a word in the band (about one step in 200)
 * is counted word by word with the exact rule, refinement included. Samples before the first
 * multiple of 4, after the last full step, and steps whose counters cross a multiple of 2³² go
 * the scalar way.
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
  let key0s = i32x4.splat(k0 + W0), key1s = i32x4.splat(k1 + W1);
  let lanes = i32x4(0, 1, 2, 3), four = i32x4.splat(4);
  let edge = i32x4.splat(CELL_EDGE), edge1 = i32x4.splat(CELL_EDGE - 1), band = i32x4.splat(-BAND);
  while (i + 48 <= last) {
    // lane counts grow by at most 12 a step: fold them into `hits` every 2^22 steps
    const stop = min<u64>(last, i + (48 << 22));
    let acc = i32x4.splat(0);
    for (; i + 48 <= stop; i += 48) {
      const c = i >>> 2;
      const cLo = <u32>c, cHi = <u32>(c >>> 32);
      if (cLo > 0xFFFFFFFF - 12) {
        // counters c..c+11 would carry into the high word: rare (once in 2³² counters)
        hits += groupHits(c, k0, k1) + groupHits(c + 4, k0, k1) + groupHits(c + 8, k0, k1);
        continue;
      }
      const cx = i32x4.add(i32x4.splat(cLo), lanes), cy = i32x4.add(cx, four), cz = i32x4.add(cy, four);
      // round 1 of counters (c, cHi, 0, 0): M1·0 = 0, so word 0 is cHi ^ k0 in every lane, word 1 is 0
      const key1 = i32x4.sub(key1s, w1);
      let x2 = v128.xor(mulhi(cx, m0), key1), y2 = v128.xor(mulhi(cy, m0), key1), z2 = v128.xor(mulhi(cz, m0), key1);
      let x3 = i32x4.mul(cx, m0), y3 = i32x4.mul(cy, m0), z3 = i32x4.mul(cz, m0);
      // round 2: M0·(cHi ^ k0) is one scalar product for all lanes
      const p = <u64>M0 * <u64>(cHi ^ k0);
      const pHi = i32x4.splat(<u32>(p >>> 32) ^ (k1 + W1)), pLo = i32x4.splat(<u32>p);
      let key0 = key0s, key1r = key1s;
      let x0 = v128.xor(mulhi(x2, m1), key0), y0 = v128.xor(mulhi(y2, m1), key0), z0 = v128.xor(mulhi(z2, m1), key0);
      let x1 = i32x4.mul(x2, m1), y1 = i32x4.mul(y2, m1), z1 = i32x4.mul(z2, m1);
      x2 = v128.xor(x3, pHi); y2 = v128.xor(y3, pHi); z2 = v128.xor(z3, pHi);
      x3 = pLo; y3 = pLo; z3 = pLo;
      // rounds 3..10, written out eight times: as a loop (binaryen keeps it one), V8 moved the
      // twelve state vectors between registers at every round's end and spilled more; unrolled
      // 5% faster (AMD EPYC Zen 5), while unrolling by 2 or 4 was slower than the loop
      // round 3
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // round 4
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // round 5
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // round 6
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // round 7
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // round 8
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // round 9
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // round 10
      key0 = i32x4.add(key0, w0); key1r = i32x4.add(key1r, w1);
      {
        const xl0 = i32x4.mul(x0, m0), xl2 = i32x4.mul(x2, m1), xh0 = mulhi(x0, m0), xh2 = mulhi(x2, m1);
        const yl0 = i32x4.mul(y0, m0), yl2 = i32x4.mul(y2, m1), yh0 = mulhi(y0, m0), yh2 = mulhi(y2, m1);
        const zl0 = i32x4.mul(z0, m0), zl2 = i32x4.mul(z2, m1), zh0 = mulhi(z0, m0), zh2 = mulhi(z2, m1);
        x0 = v128.xor(v128.xor(xh2, x1), key0); x1 = xl2; x2 = v128.xor(v128.xor(xh0, x3), key1r); x3 = xl0;
        y0 = v128.xor(v128.xor(yh2, y1), key0); y1 = yl2; y2 = v128.xor(v128.xor(yh0, y3), key1r); y3 = yl0;
        z0 = v128.xor(v128.xor(zh2, z1), key0); z1 = zl2; z2 = v128.xor(v128.xor(zh0, z3), key1r); z3 = zl0;
      }
      // lower corners inside (as minus counts), and the smallest gap to 2³⁰ of the step's 48 words
      const inside = i32x4.add(
        i32x4.add(i32x4.add(lowerInside(x0, edge), lowerInside(x1, edge)), i32x4.add(lowerInside(x2, edge), lowerInside(x3, edge))),
        i32x4.add(
          i32x4.add(i32x4.add(lowerInside(y0, edge), lowerInside(y1, edge)), i32x4.add(lowerInside(y2, edge), lowerInside(y3, edge))),
          i32x4.add(i32x4.add(lowerInside(z0, edge), lowerInside(z1, edge)), i32x4.add(lowerInside(z2, edge), lowerInside(z3, edge)))));
      const nearest = i32x4.min_u(
        i32x4.min_u(i32x4.min_u(i32x4.min_u(gap(x0, edge1), gap(x1, edge1)), i32x4.min_u(gap(x2, edge1), gap(x3, edge1))),
          i32x4.min_u(i32x4.min_u(gap(y0, edge1), gap(y1, edge1)), i32x4.min_u(gap(y2, edge1), gap(y3, edge1)))),
        i32x4.min_u(i32x4.min_u(gap(z0, edge1), gap(z1, edge1)), i32x4.min_u(gap(z2, edge1), gap(z3, edge1))));
      // every gap ≥ BAND: no word straddles, and a lower corner inside means the whole cell is
      if (i32x4.all_true(v128.and(nearest, band))) {
        acc = i32x4.sub(acc, inside);
      } else {
        hits += laneHits(c, x0, x1, x2, x3, k0, k1) + laneHits(c + 4, y0, y1, y2, y3, k0, k1) +
          laneHits(c + 8, z0, z1, z2, z3, k0, k1);
      }
    }
    m0 = i32x4.add(m0, zero); m1 = i32x4.add(m1, zero);
    w0 = i32x4.add(w0, zero); w1 = i32x4.add(w1, zero);
    key0s = i32x4.add(key0s, zero); key1s = i32x4.add(key1s, zero);
    lanes = i32x4.add(lanes, zero); four = i32x4.add(four, zero);
    edge = i32x4.add(edge, zero); edge1 = i32x4.add(edge1, zero); band = i32x4.add(band, zero);
    hits += <u64><u32>i32x4.extract_lane(acc, 0) + <u64><u32>i32x4.extract_lane(acc, 1) +
      <u64><u32>i32x4.extract_lane(acc, 2) + <u64><u32>i32x4.extract_lane(acc, 3);
  }
  for (; i < last; i++) hits += sampleHit(i, k0, k1);
  return <f64>hits;
}
