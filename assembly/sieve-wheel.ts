/**
 * The mod-30 wheel and crossing off, for the sieve kernels (assembly/sieve.ts). One byte holds
 * the 8 numbers 30·b + {1, 7, 11, 13, 17, 19, 23, 29}; bit i is residue i.
 */
/** Byte i is the residue of bit i: 1, 7, 11, 13, 17, 19, 23, 29. */
export const RESIDUES: u64 = 0x1D17_1311_0D0B_0701;
/** Bit t set when t is coprime to 30. */
export const COPRIME_30: u32 = 0x208A_2882;

@inline export function residue(bit: u32): u32 {
  return <u32>(RESIDUES >> (<u64>bit << 3)) & 0xff;
}
/** Number of wheel residues below t (t ≤ 29): the bit of residue t, or the next residue's bit. */
@inline export function wheelIndex(t: u32): u32 {
  return popcnt<u32>(COPRIME_30 & ((<u32>1 << t) - 1));
}

// ---- crossing off ----
@inline function cross(a: usize, mask: u32): void {
  store<u8>(a, load<u8>(a) & mask);
}
/** ⌊r·w/30⌋: the carry of multiplying residue w by r. */
@inline function carry(r: u32, w: u32): u32 {
  return (r * w) / 30;
}
@inline function offsetOf(q: usize, r: u32, w: u32): usize {
  return q * w + carry(r, w);
}
@inline function bitOf(r: u32, w: u32): u32 {
  return wheelIndex((r * w) % 30);
}
@inline function maskOf(r: u32, w: u32): u32 {
  return ~(<u32>1 << bitOf(r, w)) & 0xff;
}
/** The 8 carries ⌊r·w_k/30⌋ (each < 29), 5 bits each; a constant when r is. */
@inline function carries(r: u32): u64 {
  return <u64>carry(r, 1) | <u64>carry(r, 7) << 5 | <u64>carry(r, 11) << 10 | <u64>carry(r, 13) << 15 |
    <u64>carry(r, 17) << 20 | <u64>carry(r, 19) << 25 | <u64>carry(r, 23) << 30 | <u64>carry(r, 29) << 35;
}
/*
 * Multiples of a prime p = 30q + r: with k = 30m + w (w a residue), p·k = 30(pm + qw) + rw, so
 * the multiple lies in byte pm + qw + ⌊rw/30⌋ at the bit of residue rw mod 30. In each period
 * of p bytes the 8 multiples coprime to 30 sit at fixed offsets with fixed bits. `r` is a
 * constant at every call site (primes are grouped by class), so offsets are q·w plus constants
 * and masks are immediates.
 *
 * A prime's state is (a << 3) | k: the byte offset a of its next multiple from the start of the
 * segment being sieved (a ≥ 0), and the index k of that multiple's residue. crossOff returns
 * the state relative to `end`, where the next segment starts.
 */

/**
 * Crosses off one prime's multiples: the partial period it enters at (checking each multiple
 * against `end`), then whole periods of 8 crossings with no checks, then the last partial period.
 */
@inline function crossOff(seg: usize, end: usize, p: usize, state: i32, r: u32): i32 {
  const q = p / 30;
  const o0 = offsetOf(q, r, 1), o1 = offsetOf(q, r, 7), o2 = offsetOf(q, r, 11), o3 = offsetOf(q, r, 13);
  const o4 = offsetOf(q, r, 17), o5 = offsetOf(q, r, 19), o6 = offsetOf(q, r, 23), o7 = offsetOf(q, r, 29);
  const m0 = maskOf(r, 1), m1 = maskOf(r, 7), m2 = maskOf(r, 11), m3 = maskOf(r, 13);
  const m4 = maskOf(r, 17), m5 = maskOf(r, 19), m6 = maskOf(r, 23), m7 = maskOf(r, 29);
  let k = <u32>state & 7;
  // period base: the next multiple's offset less its offset in the period
  let b = seg + <usize>(state >> 3) - (q * residue(k) + <usize>((carries(r) >> (<u64>k * 5)) & 31));
  while (true) {
    switch (k) {
      case 0: { if (b + o0 >= end) return <i32>(b + o0 - end) << 3; cross(b + o0, m0); }
      case 1: { if (b + o1 >= end) return <i32>(b + o1 - end) << 3 | 1; cross(b + o1, m1); }
      case 2: { if (b + o2 >= end) return <i32>(b + o2 - end) << 3 | 2; cross(b + o2, m2); }
      case 3: { if (b + o3 >= end) return <i32>(b + o3 - end) << 3 | 3; cross(b + o3, m3); }
      case 4: { if (b + o4 >= end) return <i32>(b + o4 - end) << 3 | 4; cross(b + o4, m4); }
      case 5: { if (b + o5 >= end) return <i32>(b + o5 - end) << 3 | 5; cross(b + o5, m5); }
      case 6: { if (b + o6 >= end) return <i32>(b + o6 - end) << 3 | 6; cross(b + o6, m6); }
      default: { if (b + o7 >= end) return <i32>(b + o7 - end) << 3 | 7; cross(b + o7, m7); }
    }
    b += p;
    // whole periods: the byte of multiple k is b + q·w_k + carry_k. Walking q·w_k up by the gaps
    // 6q, 4q, 2q, … keeps three registers for the eight offsets, and each carry is a constant
    // that V8 folds into the store's displacement ([memory + a + carry]): four instructions a
    // crossing, where eight offsets in registers spilled and cost five.
    if (b + o7 < end) {
      const q2 = q + q, q4 = q2 + q2, q6 = q4 + q2;
      const limit = end - o7;
      while (b < limit) {
        let a = b + q;
        cross(a + carry(r, 1), m0);
        a += q6; cross(a + carry(r, 7), m1);
        a += q4; cross(a + carry(r, 11), m2);
        a += q2; cross(a + carry(r, 13), m3);
        a += q4; cross(a + carry(r, 17), m4);
        a += q2; cross(a + carry(r, 19), m5);
        a += q4; cross(a + carry(r, 23), m6);
        a += q6; cross(a + carry(r, 29), m7);
        b += p;
      }
    }
    k = 0;
  }
}

/** Crosses off the multiples of `count` primes of class r (u32 at `primes`) in [seg, end), updating their states. */
export function crossRun(seg: usize, end: usize, primes: usize, states: usize, count: u32, cls: u32): void {
  switch (cls) {
    case 0: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 1)); break; }
    case 1: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 7)); break; }
    case 2: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 11)); break; }
    case 3: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 13)); break; }
    case 4: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 17)); break; }
    case 5: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 19)); break; }
    case 6: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 23)); break; }
    default: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 29)); break; }
  }
}

/**
 * The state of each crossing prime at absolute byte `start`: its first multiple p·k with
 * k ≥ p (smaller multiples have a smaller prime factor) and p·k ≥ 30·start.
 */
export function initStates(start: u64, primes: usize, states: usize, count: u32): void {
  const low = start * 30;
  for (let i: u32 = 0; i < count; i++) {
    const p = <u64>load<u32>(primes + (<usize>i << 2));
    let k = (low + p - 1) / p;
    if (k < p) k = p;
    // round k up to a residue: k mod 30 = t ≤ 29 becomes residue index j (t = 0 → 1)
    const m = k / 30;
    const j = wheelIndex(<u32>(k - m * 30));
    const multiple = (p * (m * 30 + <u64>residue(j))) / 30;
    store<i32>(states + (<usize>i << 2), <i32>(multiple - start) << 3 | <i32>j);
  }
}
