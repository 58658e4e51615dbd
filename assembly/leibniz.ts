/**
 * The Gregory–Leibniz series to exact digits, as bc computes it at scale = d:
 *   Σ_{i} (−1)^i · ⌊N / (2i + 1)⌋ with N = 4·10^d  (the sum, divided by 10^d, is the bc value).
 *
 * N is given as L limbs of k bits, most significant first (f64 integers below 2^k), chosen by the
 * caller with q·2^(k+1) ≤ 2⁵³ for every divisor q of the job. Each term's quotient is found by
 * long division with a rounded reciprocal in f64 arithmetic, two terms per f64x2 (docs/algorithms.md):
 *   n = r·2^k + N_j,   q̂_j = nearest(n · fl(1/q)),   r = n − q̂_j·q,
 * which keeps |r| ≤ (q + 1)/2 and every n, q̂·q exact below 2⁵³. The digits q̂_j are signed, and
 * Σ_j q̂_j·2^(k(L−1−j)) is ⌊N/q⌋ plus one when the last remainder is negative, so a term adds
 * its digits and subtracts that one. Digit sums are kept per limb, unnormalised (no carries):
 * the caller turns the L per-limb sums into one integer.
 */

/** Terms per sub-block: their remainders, divisors and reciprocals stay in L1 while every limb passes. */
const SUB_TERMS = 32;
const SUB_VECTORS = SUB_TERMS / 2;

/**
 * Bytes of one part's scratch for L limbs: per-limb f64x2 sums, then remainders, divisors,
 * reciprocals; rounded up to 128 bytes so that two parts running at once on two workers share
 * no cache line (nor an adjacent-line prefetch pair). Unpadded (880 bytes at L = 7), one part's
 * sums shared a line with the next part's reciprocals, and 2 workers took 3.5–4.4 ms for 10⁶
 * terms at 60 digits, barely less than 1 worker's 4.0 ms; padded, 2.4–2.7 ms (AMD Zen 5).
 */
@inline function scratchBytes(limbs: i32): usize {
  return (<usize>limbs * 16 + 3 * 16 * SUB_VECTORS + 127) & ~<usize>127;
}

/** Bytes of scratch per part that leibnizTerms needs for `limbs` limbs. */
export function leibnizScratchBytes(limbs: i32): i32 {
  return <i32>scratchBytes(limbs);
}

/**
 * Long division of N by one term's divisor q, in scalar f64: adds the term's digits to lane
 * `lane` of the per-limb sums at `acc` and subtracts one from the last limb when the final
 * remainder is negative. Used for a call's odd last term.
 */
function addTermScalar(q: f64, num: usize, limbs: i32, base: f64, acc: usize, lane: usize): void {
  const inv = 1.0 / q;
  let r: f64 = 0;
  for (let j = 0; j < limbs; j++) {
    const n = r * base + load<f64>(num + (<usize>j << 3));
    const qh = nearest(n * inv);
    r = n - qh * q;
    const at = acc + (<usize>j << 4) + (lane << 3);
    store<f64>(at, load<f64>(at) + qh);
  }
  if (r < 0) {
    const at = acc + (<usize>(limbs - 1) << 4) + (lane << 3);
    store<f64>(at, load<f64>(at) - 1.0);
  }
}

/**
 * Range kernel: the terms i in [blockStart, blockEnd) of one part. The part's slot is
 * (blockStart − waveStart) / chunk; it writes L signed per-limb sums (f64 integers, |x| < 2⁵³) to
 * out + slot·8L, such that Σ_j out_j·2^(k(L−1−j)) = Σ_i (−1)^i·⌊N/(2i+1)⌋, and uses
 * scratch + slot·leibnizScratchBytes(L) as working space. Needs blockEnd − blockStart ≤ 2^(51−k)
 * so the per-limb sums stay exact. Returns 0 (the result is in out).
 */
export function leibnizTerms(
  blockStart: f64, blockEnd: f64, waveStart: f64, chunk: f64,
  num: usize, limbs: i32, baseBits: i32, scratch: usize, out: usize,
): f64 {
  const slot = <usize>((blockStart - waveStart) / chunk);
  const acc = scratch + slot * scratchBytes(limbs);
  const rem = acc + (<usize>limbs << 4);
  const div = rem + 16 * SUB_VECTORS;
  const inv = div + 16 * SUB_VECTORS;
  const base = <f64>(<u64>1 << <u64>baseBits);
  const baseV = f64x2.splat(base);
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1.0);
  for (let j = 0; j < limbs; j++) v128.store(acc + (<usize>j << 4), zero);

  let t = blockStart;
  // pairs of terms (t, t + 1): lane 0 has blockStart's parity, lane 1 the other
  while (t + 1 < blockEnd) {
    const pairs = <i32>min<f64>(<f64>SUB_VECTORS, floor((blockEnd - t) / 2));
    for (let v = 0; v < pairs; v++) {
      const q = f64x2(2 * t + 1 + 4 * <f64>v, 2 * t + 3 + 4 * <f64>v);
      const at = <usize>v << 4;
      v128.store(div + at, q);
      v128.store(inv + at, f64x2.div(one, q));
      v128.store(rem + at, zero);
    }
    const vEnd = <usize>pairs << 4;
    let j = 0;
    // two limbs per pass over the sub-block: half the loads and stores of the remainders
    for (; j + 1 < limbs; j += 2) {
      const n0 = f64x2.splat(load<f64>(num + (<usize>j << 3)));
      const n1 = f64x2.splat(load<f64>(num + (<usize>j << 3), 8));
      let digits0 = zero, digits1 = zero;
      for (let at: usize = 0; at < vEnd; at += 16) {
        const q = v128.load(div + at), iq = v128.load(inv + at);
        const a = f64x2.add(f64x2.mul(v128.load(rem + at), baseV), n0);
        const qa = f64x2.nearest(f64x2.mul(a, iq));
        const b = f64x2.add(f64x2.mul(f64x2.sub(a, f64x2.mul(qa, q)), baseV), n1);
        const qb = f64x2.nearest(f64x2.mul(b, iq));
        v128.store(rem + at, f64x2.sub(b, f64x2.mul(qb, q)));
        digits0 = f64x2.add(digits0, qa);
        digits1 = f64x2.add(digits1, qb);
      }
      const a = acc + (<usize>j << 4);
      v128.store(a, f64x2.add(v128.load(a), digits0));
      v128.store(a, f64x2.add(v128.load(a, 16), digits1), 16);
    }
    if (j < limbs) {
      const nj = f64x2.splat(load<f64>(num + (<usize>j << 3)));
      let digits = zero;
      for (let at: usize = 0; at < vEnd; at += 16) {
        const n = f64x2.add(f64x2.mul(v128.load(rem + at), baseV), nj);
        const qh = f64x2.nearest(f64x2.mul(n, v128.load(inv + at)));
        v128.store(rem + at, f64x2.sub(n, f64x2.mul(qh, v128.load(div + at))));
        digits = f64x2.add(digits, qh);
      }
      const a = acc + (<usize>j << 4);
      v128.store(a, f64x2.add(v128.load(a), digits));
    }
    let negatives = zero;
    for (let at: usize = 0; at < vEnd; at += 16) {
      negatives = f64x2.add(negatives, v128.and(f64x2.lt(v128.load(rem + at), zero), one));
    }
    const last = acc + (<usize>(limbs - 1) << 4);
    v128.store(last, f64x2.sub(v128.load(last), negatives));
    t += 2 * <f64>pairs;
  }
  if (t < blockEnd) addTermScalar(2 * t + 1, num, limbs, base, acc, 0);

  // lane 0 holds the terms with blockStart's parity: even indices add, odd ones subtract
  const sign: f64 = blockStart % 2 == 0 ? 1 : -1;
  const o = out + slot * (<usize>limbs << 3);
  for (let j = 0; j < limbs; j++) {
    const s = v128.load(acc + (<usize>j << 4));
    store<f64>(o + (<usize>j << 3), sign * (f64x2.extract_lane(s, 0) - f64x2.extract_lane(s, 1)));
  }
  return 0;
}
