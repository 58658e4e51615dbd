/**
 * The mod-210 wheel for the medium crossing primes (assembly/sieve.ts): multiples p·k with k
 * coprime to 2·3·5·7, so a prime crosses 48 multiples per 210p numbers (7p bytes of the mod-30
 * bitmap) where the mod-30 wheel (assembly/sieve-wheel.ts) crosses 56: 14% fewer crossings.
 * Multiples of 7 are left to 7's own pattern (pre-sieve) or crossing.
 */
import { carry, cross, maskOf } from "./sieve-wheel";

/** Bit t of these four words set when t < 210 is coprime to 210 (48 of them). */
const COPRIME_210_0: u64 = 0x28208A20A08A2802;
const COPRIME_210_1: u64 = 0x820228A202088288;
const COPRIME_210_2: u64 = 0x8828228820A08A08;
const COPRIME_210_3: u64 = 0x200A2;

@inline function coprimeWord(i: u32): u64 {
  return i == 0 ? COPRIME_210_0 : i == 1 ? COPRIME_210_1 : i == 2 ? COPRIME_210_2 : COPRIME_210_3;
}

/** Byte distance carry(r, wn) − carry(r, w) between the multiples p·w and p·wn beyond q·(wn − w). */
@inline function step(r: u32, w: u32, wn: u32): usize {
  return <usize>(carry(r, wn) - carry(r, w));
}

/*
 * For p = 30q + r and k = 210m + w (w one of the 48 residues coprime to 210), p·k lies in byte
 * 7p·m + q·w + ⌊rw/30⌋ at the bit of residue rw mod 30: a period of 7p bytes holds 48
 * multiples at offsets and bits fixed by r. A medium prime's state is (a << 6) | k: the offset a
 * of its next multiple from the segment's start and the index k (0–47) of its residue w.
 */

/**
 * Crosses off one medium prime's multiples in [seg, end): the partial period it enters at with a
 * check per multiple (a running pointer, advanced by q·gap plus a constant), then whole periods
 * of 48 unchecked crossings, then the last partial period. `r` is a constant at every call site.
 */
@inline function crossOff210(seg: usize, end: usize, p: usize, state: i32, r: u32): i32 {
  const q = p / 30;
  const q2 = q + q, q4 = q2 + q2, q6 = q4 + q2, q8 = q4 + q4, q10 = q8 + q2;
  const p7 = p * 7;
  // the 48th multiple of a period lies 208q + carry(r, 209) bytes after the first
  const span = q * 208 + <usize>carry(r, 209);
  let i = seg + <usize>(state >> 6);
  let k = <u32>state & 63;
  while (true) {
    switch (k) {
      case 0:  { if (i >= end) return <i32>(i - end) << 6 | 0; cross(i, maskOf(r, 1)); i += q10 + step(r, 1, 11); }
      case 1:  { if (i >= end) return <i32>(i - end) << 6 | 1; cross(i, maskOf(r, 11)); i += q2 + step(r, 11, 13); }
      case 2:  { if (i >= end) return <i32>(i - end) << 6 | 2; cross(i, maskOf(r, 13)); i += q4 + step(r, 13, 17); }
      case 3:  { if (i >= end) return <i32>(i - end) << 6 | 3; cross(i, maskOf(r, 17)); i += q2 + step(r, 17, 19); }
      case 4:  { if (i >= end) return <i32>(i - end) << 6 | 4; cross(i, maskOf(r, 19)); i += q4 + step(r, 19, 23); }
      case 5:  { if (i >= end) return <i32>(i - end) << 6 | 5; cross(i, maskOf(r, 23)); i += q6 + step(r, 23, 29); }
      case 6:  { if (i >= end) return <i32>(i - end) << 6 | 6; cross(i, maskOf(r, 29)); i += q2 + step(r, 29, 31); }
      case 7:  { if (i >= end) return <i32>(i - end) << 6 | 7; cross(i, maskOf(r, 31)); i += q6 + step(r, 31, 37); }
      case 8:  { if (i >= end) return <i32>(i - end) << 6 | 8; cross(i, maskOf(r, 37)); i += q4 + step(r, 37, 41); }
      case 9:  { if (i >= end) return <i32>(i - end) << 6 | 9; cross(i, maskOf(r, 41)); i += q2 + step(r, 41, 43); }
      case 10: { if (i >= end) return <i32>(i - end) << 6 | 10; cross(i, maskOf(r, 43)); i += q4 + step(r, 43, 47); }
      case 11: { if (i >= end) return <i32>(i - end) << 6 | 11; cross(i, maskOf(r, 47)); i += q6 + step(r, 47, 53); }
      case 12: { if (i >= end) return <i32>(i - end) << 6 | 12; cross(i, maskOf(r, 53)); i += q6 + step(r, 53, 59); }
      case 13: { if (i >= end) return <i32>(i - end) << 6 | 13; cross(i, maskOf(r, 59)); i += q2 + step(r, 59, 61); }
      case 14: { if (i >= end) return <i32>(i - end) << 6 | 14; cross(i, maskOf(r, 61)); i += q6 + step(r, 61, 67); }
      case 15: { if (i >= end) return <i32>(i - end) << 6 | 15; cross(i, maskOf(r, 67)); i += q4 + step(r, 67, 71); }
      case 16: { if (i >= end) return <i32>(i - end) << 6 | 16; cross(i, maskOf(r, 71)); i += q2 + step(r, 71, 73); }
      case 17: { if (i >= end) return <i32>(i - end) << 6 | 17; cross(i, maskOf(r, 73)); i += q6 + step(r, 73, 79); }
      case 18: { if (i >= end) return <i32>(i - end) << 6 | 18; cross(i, maskOf(r, 79)); i += q4 + step(r, 79, 83); }
      case 19: { if (i >= end) return <i32>(i - end) << 6 | 19; cross(i, maskOf(r, 83)); i += q6 + step(r, 83, 89); }
      case 20: { if (i >= end) return <i32>(i - end) << 6 | 20; cross(i, maskOf(r, 89)); i += q8 + step(r, 89, 97); }
      case 21: { if (i >= end) return <i32>(i - end) << 6 | 21; cross(i, maskOf(r, 97)); i += q4 + step(r, 97, 101); }
      case 22: { if (i >= end) return <i32>(i - end) << 6 | 22; cross(i, maskOf(r, 101)); i += q2 + step(r, 101, 103); }
      case 23: { if (i >= end) return <i32>(i - end) << 6 | 23; cross(i, maskOf(r, 103)); i += q4 + step(r, 103, 107); }
      case 24: { if (i >= end) return <i32>(i - end) << 6 | 24; cross(i, maskOf(r, 107)); i += q2 + step(r, 107, 109); }
      case 25: { if (i >= end) return <i32>(i - end) << 6 | 25; cross(i, maskOf(r, 109)); i += q4 + step(r, 109, 113); }
      case 26: { if (i >= end) return <i32>(i - end) << 6 | 26; cross(i, maskOf(r, 113)); i += q8 + step(r, 113, 121); }
      case 27: { if (i >= end) return <i32>(i - end) << 6 | 27; cross(i, maskOf(r, 121)); i += q6 + step(r, 121, 127); }
      case 28: { if (i >= end) return <i32>(i - end) << 6 | 28; cross(i, maskOf(r, 127)); i += q4 + step(r, 127, 131); }
      case 29: { if (i >= end) return <i32>(i - end) << 6 | 29; cross(i, maskOf(r, 131)); i += q6 + step(r, 131, 137); }
      case 30: { if (i >= end) return <i32>(i - end) << 6 | 30; cross(i, maskOf(r, 137)); i += q2 + step(r, 137, 139); }
      case 31: { if (i >= end) return <i32>(i - end) << 6 | 31; cross(i, maskOf(r, 139)); i += q4 + step(r, 139, 143); }
      case 32: { if (i >= end) return <i32>(i - end) << 6 | 32; cross(i, maskOf(r, 143)); i += q6 + step(r, 143, 149); }
      case 33: { if (i >= end) return <i32>(i - end) << 6 | 33; cross(i, maskOf(r, 149)); i += q2 + step(r, 149, 151); }
      case 34: { if (i >= end) return <i32>(i - end) << 6 | 34; cross(i, maskOf(r, 151)); i += q6 + step(r, 151, 157); }
      case 35: { if (i >= end) return <i32>(i - end) << 6 | 35; cross(i, maskOf(r, 157)); i += q6 + step(r, 157, 163); }
      case 36: { if (i >= end) return <i32>(i - end) << 6 | 36; cross(i, maskOf(r, 163)); i += q4 + step(r, 163, 167); }
      case 37: { if (i >= end) return <i32>(i - end) << 6 | 37; cross(i, maskOf(r, 167)); i += q2 + step(r, 167, 169); }
      case 38: { if (i >= end) return <i32>(i - end) << 6 | 38; cross(i, maskOf(r, 169)); i += q4 + step(r, 169, 173); }
      case 39: { if (i >= end) return <i32>(i - end) << 6 | 39; cross(i, maskOf(r, 173)); i += q6 + step(r, 173, 179); }
      case 40: { if (i >= end) return <i32>(i - end) << 6 | 40; cross(i, maskOf(r, 179)); i += q2 + step(r, 179, 181); }
      case 41: { if (i >= end) return <i32>(i - end) << 6 | 41; cross(i, maskOf(r, 181)); i += q6 + step(r, 181, 187); }
      case 42: { if (i >= end) return <i32>(i - end) << 6 | 42; cross(i, maskOf(r, 187)); i += q4 + step(r, 187, 191); }
      case 43: { if (i >= end) return <i32>(i - end) << 6 | 43; cross(i, maskOf(r, 191)); i += q2 + step(r, 191, 193); }
      case 44: { if (i >= end) return <i32>(i - end) << 6 | 44; cross(i, maskOf(r, 193)); i += q4 + step(r, 193, 197); }
      case 45: { if (i >= end) return <i32>(i - end) << 6 | 45; cross(i, maskOf(r, 197)); i += q2 + step(r, 197, 199); }
      case 46: { if (i >= end) return <i32>(i - end) << 6 | 46; cross(i, maskOf(r, 199)); i += q10 + step(r, 199, 209); }
      default: { if (i >= end) return <i32>(i - end) << 6 | 47; cross(i, maskOf(r, 209)); i += q2 + step(r, 209, 211); }
    }
    // i is now the first multiple (w = 1) of a period: whole periods while its last one is before end
    if (i + span < end) {
      const limit = end - span;
      while (i < limit) {
        let a = i;
        cross(a, maskOf(r, 1));
        a += q10; cross(a + carry(r, 11), maskOf(r, 11));
        a += q2; cross(a + carry(r, 13), maskOf(r, 13));
        a += q4; cross(a + carry(r, 17), maskOf(r, 17));
        a += q2; cross(a + carry(r, 19), maskOf(r, 19));
        a += q4; cross(a + carry(r, 23), maskOf(r, 23));
        a += q6; cross(a + carry(r, 29), maskOf(r, 29));
        a += q2; cross(a + carry(r, 31), maskOf(r, 31));
        a += q6; cross(a + carry(r, 37), maskOf(r, 37));
        a += q4; cross(a + carry(r, 41), maskOf(r, 41));
        a += q2; cross(a + carry(r, 43), maskOf(r, 43));
        a += q4; cross(a + carry(r, 47), maskOf(r, 47));
        a += q6; cross(a + carry(r, 53), maskOf(r, 53));
        a += q6; cross(a + carry(r, 59), maskOf(r, 59));
        a += q2; cross(a + carry(r, 61), maskOf(r, 61));
        a += q6; cross(a + carry(r, 67), maskOf(r, 67));
        a += q4; cross(a + carry(r, 71), maskOf(r, 71));
        a += q2; cross(a + carry(r, 73), maskOf(r, 73));
        a += q6; cross(a + carry(r, 79), maskOf(r, 79));
        a += q4; cross(a + carry(r, 83), maskOf(r, 83));
        a += q6; cross(a + carry(r, 89), maskOf(r, 89));
        a += q8; cross(a + carry(r, 97), maskOf(r, 97));
        a += q4; cross(a + carry(r, 101), maskOf(r, 101));
        a += q2; cross(a + carry(r, 103), maskOf(r, 103));
        a += q4; cross(a + carry(r, 107), maskOf(r, 107));
        a += q2; cross(a + carry(r, 109), maskOf(r, 109));
        a += q4; cross(a + carry(r, 113), maskOf(r, 113));
        a += q8; cross(a + carry(r, 121), maskOf(r, 121));
        a += q6; cross(a + carry(r, 127), maskOf(r, 127));
        a += q4; cross(a + carry(r, 131), maskOf(r, 131));
        a += q6; cross(a + carry(r, 137), maskOf(r, 137));
        a += q2; cross(a + carry(r, 139), maskOf(r, 139));
        a += q4; cross(a + carry(r, 143), maskOf(r, 143));
        a += q6; cross(a + carry(r, 149), maskOf(r, 149));
        a += q2; cross(a + carry(r, 151), maskOf(r, 151));
        a += q6; cross(a + carry(r, 157), maskOf(r, 157));
        a += q6; cross(a + carry(r, 163), maskOf(r, 163));
        a += q4; cross(a + carry(r, 167), maskOf(r, 167));
        a += q2; cross(a + carry(r, 169), maskOf(r, 169));
        a += q4; cross(a + carry(r, 173), maskOf(r, 173));
        a += q6; cross(a + carry(r, 179), maskOf(r, 179));
        a += q2; cross(a + carry(r, 181), maskOf(r, 181));
        a += q6; cross(a + carry(r, 187), maskOf(r, 187));
        a += q4; cross(a + carry(r, 191), maskOf(r, 191));
        a += q2; cross(a + carry(r, 193), maskOf(r, 193));
        a += q4; cross(a + carry(r, 197), maskOf(r, 197));
        a += q2; cross(a + carry(r, 199), maskOf(r, 199));
        a += q10; cross(a + carry(r, 209), maskOf(r, 209));
        i += p7;
      }
    }
    k = 0;
  }
}

/** Crosses off the multiples of `count` medium primes of class r (u32 at `primes`) in [seg, end), updating their states. */
export function crossRun210(seg: usize, end: usize, primes: usize, states: usize, count: u32, cls: u32): void {
  switch (cls) {
    case 0: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 1)); break; }
    case 1: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 7)); break; }
    case 2: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 11)); break; }
    case 3: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 13)); break; }
    case 4: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 17)); break; }
    case 5: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 19)); break; }
    case 6: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 23)); break; }
    default: { for (let i: usize = 0; i < count; i++) store<i32>(states + (i << 2), crossOff210(seg, end, load<u32>(primes + (i << 2)), load<i32>(states + (i << 2)), 29)); break; }
  }
}

/**
 * The mod-210 state of each medium prime at absolute byte `start`: its first multiple p·k with
 * k ≥ p, k coprime to 210 and p·k ≥ 30·start.
 */
export function initStates210(start: u64, primes: usize, states: usize, count: u32): void {
  const low = start * 30;
  for (let i: u32 = 0; i < count; i++) {
    const p = <u64>load<u32>(primes + (<usize>i << 2));
    let k = (low + p - 1) / p;
    if (k < p) k = p;
    // round k up to a residue w coprime to 210 (209 is one, so there is always one ≤ 209)
    const m = k / 210;
    const t = <u32>(k - m * 210);
    let word = t >> 6;
    let bits = coprimeWord(word) & (~<u64>0 << <u64>(t & 63));
    while (bits == 0) bits = coprimeWord(++word);
    const w = (word << 6) + <u32>ctz<u64>(bits);
    // its index: the residues below w
    let j = <u32>popcnt<u64>(coprimeWord(word) & ((<u64>1 << <u64>(w & 63)) - 1));
    for (let x: u32 = 0; x < word; x++) j += <u32>popcnt<u64>(coprimeWord(x));
    const multiple = (p * (m * 210 + <u64>w)) / 30;
    store<i32>(states + (<usize>i << 2), <i32>(multiple - start) << 6 | <i32>j);
  }
}
