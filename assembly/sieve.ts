/**
 * Prime sieve kernels: a segmented sieve of Eratosthenes on a mod-30 wheel (docs/algorithms.md,
 * "Primes"). One byte holds the 8 numbers 30·b + {1, 7, 11, 13, 17, 19, 23, 29} of a range of 30;
 * a set bit means "prime". 2, 3 and 5 are not in the array: the caller adds them.
 *
 * Every kernel takes a pointer to a context block that the TS side (src/workloads/primes-sieve.ts)
 * lays out in shared memory; its byte layout is the CTX_* constants of assembly/sieve-context.ts.
 * Work is split into parts of whole bytes [blockStart, blockEnd). A part is sieved as
 * consecutive segments (L2-sized); in each segment the small crossing primes sieve one L1-sized
 * chunk at a time right after the chunk's pre-sieve, then the medium primes sieve the segment.
 */
import {
  CTX_SLOTS, CTX_SLOT_STRIDE, CTX_SLOT_COUNT, CTX_LOCKS, CTX_PRIMES, CTX_PRIME_COUNT,
  CTX_SIEVE_FROM, CTX_SIEVE_TO, CTX_SEGMENT_BYTES, CTX_PART_BYTES, CTX_GROUPS, CTX_GROUP_COUNT,
  CTX_PRESIEVE_MAX, CTX_BITMAP, CTX_RECORDS, CTX_FLAGS, CTX_N, CTX_BASE_LIMIT, CTX_ROOT,
  CTX_BASE_SCRATCH, CTX_OUT, CTX_OUT_BYTES, CTX_OFFSETS, CTX_CROSS, CTX_RUNS, CTX_SMALL_MAX,
  CTX_CHUNK_BYTES, CTX_PATTERNS, CTX_PATTERN_BYTES, CTX_SLOT_PATTERNS, RUNS, SLOT_ACTIVE_BYTES,
  RECORD_BYTES, FLAG_SUMS,
} from "./sieve-context";
import { COPRIME_30, crossRun, initStates, residue, wheelIndex } from "./sieve-wheel";

/** Results of tally/findLast. Globals belong to the instance, so each worker has its own. */
let tallyCount: u64 = 0;
let tallyPositional: u64 = 0;
let tallyResidues: u64 = 0;
let tallyLast: u64 = 0;

/**
 * Sieves [seg, seg + len) with the active primes of each run of one tier. Runs are the 8
 * classes r = p mod 30 of a tier, each ascending; `active` holds how many of each run have
 * a multiple in the part (a prefix, since the first crossed multiple is p²).
 */
function crossTier(ctx: usize, seg: usize, len: u32, states: usize, active: usize, medium: bool): void {
  const cross = <usize>load<u32>(ctx + CTX_CROSS);
  const runs = <usize>load<u32>(ctx + CTX_RUNS);
  const first: u32 = medium ? 8 : 0;
  for (let c: u32 = 0; c < 8; c++) {
    const from = <usize>load<u32>(runs + (<usize>(first + c) << 2));
    const count = load<u32>(active + (<usize>(first + c) << 2));
    if (count != 0) crossRun(seg, seg + <usize>len, cross + (from << 2), states + (from << 2), count, c);
  }
}

// ---- segment pipeline ----
/**
 * Fills the segment of absolute bytes [start, start + len) with the pre-sieve patterns, read
 * from the caller's copy of them (the patterns plus `delta`; see ownPatterns).
 */
function presieve(ctx: usize, seg: usize, len: u32, start: u64, delta: usize): void {
  const groups = <usize>load<u32>(ctx + CTX_GROUPS);
  const count = load<u32>(ctx + CTX_GROUP_COUNT);
  if (count == 0) {
    memory.fill(seg, 0xff, len);
    return;
  }
  memory.copy(seg, patternWindow(groups, 0, start, delta), len);
  let g: u32 = 1;
  for (; g + 4 <= count; g += 4) {
    and4(seg, len, patternWindow(groups, g, start, delta), patternWindow(groups, g + 1, start, delta),
      patternWindow(groups, g + 2, start, delta), patternWindow(groups, g + 3, start, delta));
  }
  for (; g < count; g++) {
    const w = patternWindow(groups, g, start, delta);
    and4(seg, len, w, w, w, w);
  }
}

/**
 * Where the pattern of group g matches absolute byte `start`, in the copy of the patterns that
 * lies `delta` bytes from them. A pattern is stored with its first CHUNK_BYTES repeated after
 * its period, so a chunk's window never wraps.
 */
@inline function patternWindow(groups: usize, g: u32, start: u64, delta: usize): usize {
  const entry = groups + (<usize>g << 4);
  return <usize>load<u32>(entry) + delta + <usize>(start % <u64>load<u32>(entry + 4));
}

/** dst &= a & b & c & d over n bytes: four patterns per pass over the chunk. */
function and4(dst: usize, n: u32, a: usize, b: usize, c: usize, d: usize): void {
  let i: usize = 0;
  const n16 = <usize>(n & ~15);
  for (; i < n16; i += 16) {
    const ab = v128.and(v128.load(a + i), v128.load(b + i));
    const cd = v128.and(v128.load(c + i), v128.load(d + i));
    v128.store(dst + i, v128.and(v128.load(dst + i), v128.and(ab, cd)));
  }
  for (; i < <usize>n; i++) {
    store<u8>(dst + i, load<u8>(dst + i) & load<u8>(a + i) & load<u8>(b + i) & load<u8>(c + i) & load<u8>(d + i));
  }
}

/** The segment holding byte 0: 1 is not prime, and the pre-sieved primes are. */
function fixFirstBytes(ctx: usize, seg: usize, len: u32): void {
  store<u8>(seg, load<u8>(seg) & 0xfe);
  const max = load<u32>(ctx + CTX_PRESIEVE_MAX);
  const primes = <usize>load<u32>(ctx + CTX_PRIMES);
  const count = <usize>load<u32>(ctx + CTX_PRIME_COUNT);
  for (let i: usize = 0; i < count; i++) {
    const p = load<u32>(primes + (i << 2));
    if (p > max) break;
    const byte = p / 30;
    if (byte >= len) break;
    store<u8>(seg + byte, load<u8>(seg + byte) | (<u32>1 << wheelIndex(p % 30)));
  }
}

/** Clears the bits above N in its byte, the last byte of the range. */
function clearAboveN(seg: usize, lastByte: usize, n: u64): void {
  const keep = popcnt<u32>(COPRIME_30 & ((<u32>2 << <u32>(n % 30)) - 1));
  store<u8>(seg + lastByte, load<u8>(seg + lastByte) & ((<u32>1 << keep) - 1));
}

/**
 * Adds the segment's bytes [seg, seg + len) to the tally registers; `rel` is the index of the
 * segment's first byte within its part. With `sums`, also Σ rel_byte·popcount(byte) and Σ of
 * the residues of the set bits, so that Σ primes = 30·(partStart·count + positional) + residues.
 */
function tally(seg: usize, len: u32, rel: u64, sums: bool): void {
  const words = len >> 3;
  let count: u64 = 0;
  if (!sums) {
    for (let i: u32 = 0; i < words; i++) count += popcnt<u64>(load<u64>(seg + (<usize>i << 3)));
    for (let i = words << 3; i < len; i++) count += <u64>popcnt<u32>(load<u8>(seg + i));
    tallyCount += count;
  } else {
    let positional: u64 = 0;
    let c0: u64 = 0, c1: u64 = 0, c2: u64 = 0, c3: u64 = 0, c4: u64 = 0, c5: u64 = 0, c6: u64 = 0, c7: u64 = 0;
    const lanes: u64 = 0x0101_0101_0101_0101;
    for (let i: u32 = 0; i <= words; i++) {
      // the last round takes the 0..7 bytes left, zero-extended
      let w: u64 = 0;
      if (i < words) w = load<u64>(seg + (<usize>i << 3));
      else for (let t = words << 3; t < len; t++) w |= <u64>load<u8>(seg + t) << (<u64>(t - (words << 3)) << 3);
      if (w == 0) continue;
      const pc = popcnt<u64>(w);
      count += pc;
      positional += (rel + (<u64>i << 3)) * pc + popcnt<u64>(w & 0xFF00_FF00_FF00_FF00) +
        (popcnt<u64>(w & 0xFFFF_0000_FFFF_0000) << 1) + (popcnt<u64>(w & 0xFFFF_FFFF_0000_0000) << 2);
      c0 += popcnt<u64>(w & lanes); c1 += popcnt<u64>(w & (lanes << 1));
      c2 += popcnt<u64>(w & (lanes << 2)); c3 += popcnt<u64>(w & (lanes << 3));
      c4 += popcnt<u64>(w & (lanes << 4)); c5 += popcnt<u64>(w & (lanes << 5));
      c6 += popcnt<u64>(w & (lanes << 6)); c7 += popcnt<u64>(w & (lanes << 7));
    }
    tallyCount += count;
    tallyPositional += positional;
    tallyResidues += c0 + 7 * c1 + 11 * c2 + 13 * c3 + 17 * c4 + 19 * c5 + 23 * c6 + 29 * c7;
  }
}

/** Records the largest prime of the segment of absolute bytes from `start`, if it has one. */
function findLast(seg: usize, len: u32, start: u64): void {
  for (let i = <i32>len - 1; i >= 0; i--) {
    const v = <u32>load<u8>(seg + <usize>i);
    if (v != 0) {
      tallyLast = (start + <u64>i) * 30 + residue(31 - clz<u32>(v));
      return;
    }
  }
}

/** The slot this instance (one per worker) claimed last: it tries that one first, whose segment and states its caches hold. */
let lastSlot: u32 = 0;

/** Claims a free scratch slot (an atomic flag per slot); -1 if every slot is taken. */
function claimSlot(ctx: usize): i32 {
  const locks = <usize>load<u32>(ctx + CTX_LOCKS);
  const n = load<u32>(ctx + CTX_SLOT_COUNT);
  for (let k: u32 = 0; k < n; k++) {
    const s = (lastSlot + k) % n;
    if (atomic.cmpxchg<i32>(locks + (<usize>s << 2), 0, 1) == 0) {
      lastSlot = s;
      return <i32>s;
    }
  }
  return -1;
}

/**
 * Copies the pre-sieve patterns into the claimed slot and returns where the copy lies relative
 * to the shared ones; a part's pre-sieve reads its copy. Two workers reading one shared copy ran
 * each part 25% slower than one worker alone (AMD EPYC Zen 5: 2 workers 640 ms for 10^10, 505 ms
 * with the copies), while two sieves with separate blocks did not slow down: the patterns (up to
 * ~730 KB) and the segment overflow L2, and a line the other core also holds comes back from that
 * core. The copy is made by every part, into the cache of the worker that runs it (≈ 1% of a
 * part's time; copying once per slot and sieve measured the same and needs state that a block
 * copied to another machine's memory could carry stale).
 */
function ownPatterns(ctx: usize, slotBase: usize): usize {
  // 0 bytes: no patterns, or a job of one slot, which shares them with nobody and reads them in place
  const bytes = load<u32>(ctx + CTX_PATTERN_BYTES);
  if (bytes == 0) return 0;
  const shared = <usize>load<u32>(ctx + CTX_PATTERNS);
  const own = slotBase + <usize>load<u32>(ctx + CTX_SLOT_PATTERNS);
  memory.copy(own, shared, bytes);
  return own - shared;
}

function releaseSlot(ctx: usize, slot: i32): void {
  atomic.store<i32>(<usize>load<u32>(ctx + CTX_LOCKS) + (<usize>slot << 2), 0);
}

/**
 * Sieves the part of bytes [start, end) segment by segment and tallies it into its record.
 * Returns the part's prime count, or -1 when no scratch slot was free (a planning error).
 */
function sievePart(ctx: usize, start: u64, end: u64): f64 {
  const slot = claimSlot(ctx);
  if (slot < 0) return -1;
  const slotBase = <usize>load<u32>(ctx + CTX_SLOTS) + <usize>slot * <usize>load<u32>(ctx + CTX_SLOT_STRIDE);
  const segBytes = load<u32>(ctx + CTX_SEGMENT_BYTES);
  const chunkBytes = load<u32>(ctx + CTX_CHUNK_BYTES);
  const active = slotBase + <usize>segBytes;
  const states = active + SLOT_ACTIVE_BYTES;
  const patterns = ownPatterns(ctx, slotBase);
  const bitmap = <usize>load<u32>(ctx + CTX_BITMAP);
  const n = <u64>load<f64>(ctx + CTX_N);
  const lastByte = n / 30;
  const sums = (load<u32>(ctx + CTX_FLAGS) & FLAG_SUMS) != 0;

  // per run, the primes with p² inside the part: a prefix of the ascending run
  const cross = <usize>load<u32>(ctx + CTX_CROSS);
  const runs = <usize>load<u32>(ctx + CTX_RUNS);
  const high = end * 30;
  for (let t: u32 = 0; t < RUNS; t++) {
    const from = load<u32>(runs + (<usize>t << 2));
    const to = load<u32>(runs + (<usize>(t + 1) << 2));
    let count: u32 = 0;
    while (from + count < to) {
      const p = <u64>load<u32>(cross + (<usize>(from + count) << 2));
      if (p * p >= high) break;
      count++;
    }
    store<u32>(active + (<usize>t << 2), count);
    initStates(start, cross + (<usize>from << 2), states + (<usize>from << 2), count);
  }

  tallyCount = 0; tallyPositional = 0; tallyResidues = 0; tallyLast = 0;
  for (let s = start; s < end; s += <u64>segBytes) {
    const len = <u32>min<u64>(<u64>segBytes, end - s);
    const seg = bitmap != 0 ? bitmap + <usize>s : slotBase;
    // small primes chunk by chunk while the chunk is in L1, right after its pre-sieve
    for (let c: u32 = 0; c < len; c += chunkBytes) {
      const chunkLen = min<u32>(chunkBytes, len - c);
      presieve(ctx, seg + c, chunkLen, s + c, patterns);
      if (s + c == 0) fixFirstBytes(ctx, seg, chunkLen);
      crossTier(ctx, seg + c, chunkLen, states, active, false);
    }
    crossTier(ctx, seg, len, states, active, true);
    if (lastByte < s + <u64>len) clearAboveN(seg, <usize>(lastByte - s), n);
    tally(seg, len, s - start, sums);
    findLast(seg, len, s);
  }
  releaseSlot(ctx, slot);

  const records = <usize>load<u32>(ctx + CTX_RECORDS);
  if (records != 0) {
    const rec = records + <usize>(start / <u64>load<u32>(ctx + CTX_PART_BYTES)) * RECORD_BYTES;
    store<f64>(rec, <f64>tallyCount);
    store<f64>(rec + 8, <f64>tallyPositional);
    store<f64>(rec + 16, <f64>tallyResidues);
    store<f64>(rec + 24, <f64>tallyLast);
  }
  return <f64>tallyCount;
}

/** Writes the primes of bitmap bytes [start, end) at their index in the output list. */
function extractPart(ctx: usize, start: u64, end: u64): f64 {
  const bitmap = <usize>load<u32>(ctx + CTX_BITMAP);
  const part = start / <u64>load<u32>(ctx + CTX_PART_BYTES);
  const first = <usize>load<f64>(<usize>load<u32>(ctx + CTX_OFFSETS) + (<usize>part << 3));
  const wide = load<u32>(ctx + CTX_OUT_BYTES) == 8;
  let out = <usize>load<u32>(ctx + CTX_OUT) + first * (wide ? 8 : 4);
  const out0 = out;
  // whole words; the bitmap is zero-padded to a multiple of 64 bytes past the range
  for (let b = start; b < end; b += 8) {
    let w = load<u64>(bitmap + <usize>b);
    const base = b * 30;
    while (w != 0) {
      const t = <u32>ctz<u64>(w);
      const v = base + <u64>(30 * (t >> 3) + residue(t & 7));
      if (wide) { store<f64>(out, <f64>v); out += 8; }
      else { store<u32>(out, <u32>v); out += 4; }
      w &= w - 1;
    }
  }
  return <f64>((out - out0) >> (wide ? 3 : 2));
}

/**
 * Base primes 7 ≤ p ≤ BASE_LIMIT by a plain odd-only sieve; the crossing primes sorted into
 * runs by tier and class; the pre-sieve patterns.
 */
function setup(ctx: usize): f64 {
  const limit = load<u32>(ctx + CTX_BASE_LIMIT);
  const root = load<u32>(ctx + CTX_ROOT);
  const flags = <usize>load<u32>(ctx + CTX_BASE_SCRATCH);
  const primes = <usize>load<u32>(ctx + CTX_PRIMES);
  const half = limit >> 1; // flags[i] is 2i + 1, i ≤ half
  memory.fill(flags, 0, half + 1);
  for (let i: u32 = 1; ; i++) {
    const p: u32 = 2 * i + 1;
    if (<u64>p * p > <u64>limit) break;
    if (load<u8>(flags + i) != 0) continue;
    for (let j: u32 = (p * p) >> 1; j <= half; j += p) store<u8>(flags + j, 1);
  }
  let count: u32 = 0;
  let upToRoot: u32 = 0;
  for (let i: u32 = 3; i <= half; i++) {
    if (load<u8>(flags + i) != 0) continue;
    const p: u32 = 2 * i + 1;
    store<u32>(primes + (<usize>count << 2), p);
    count++;
    if (p <= root) upToRoot = count;
  }
  store<u32>(ctx + CTX_PRIME_COUNT, count);
  store<u32>(ctx + CTX_SIEVE_TO, upToRoot);

  // crossing primes into runs: count per run, prefix sums, place (cursors in the spent flags)
  const from = load<u32>(ctx + CTX_SIEVE_FROM);
  const smallMax = load<u32>(ctx + CTX_SMALL_MAX);
  const cross = <usize>load<u32>(ctx + CTX_CROSS);
  const runs = <usize>load<u32>(ctx + CTX_RUNS);
  memory.fill(runs, 0, (RUNS + 1) << 2);
  for (let i = from; i < upToRoot; i++) {
    const p = load<u32>(primes + (<usize>i << 2));
    const t = (p > smallMax ? 8 : 0) + wheelIndex(p % 30);
    store<u32>(runs + (<usize>(t + 1) << 2), load<u32>(runs + (<usize>(t + 1) << 2)) + 1);
  }
  for (let t: u32 = 0; t < RUNS; t++) {
    const at = runs + (<usize>(t + 1) << 2);
    store<u32>(at, load<u32>(at) + load<u32>(at - 4));
    store<u32>(flags + (<usize>t << 2), load<u32>(at - 4));
  }
  for (let i = from; i < upToRoot; i++) {
    const p = load<u32>(primes + (<usize>i << 2));
    const cursor = flags + (<usize>((p > smallMax ? 8 : 0) + wheelIndex(p % 30)) << 2);
    const at = load<u32>(cursor);
    store<u32>(cross + (<usize>at << 2), p);
    store<u32>(cursor, at + 1);
  }

  // a pattern holds every multiple of its primes coprime to 30, the primes themselves included
  const groups = <usize>load<u32>(ctx + CTX_GROUPS);
  const groupCount = load<u32>(ctx + CTX_GROUP_COUNT);
  const state = flags; // one i32, reusing the spent flags
  for (let g: u32 = 0; g < groupCount; g++) {
    const entry = groups + (<usize>g << 4);
    const pattern = <usize>load<u32>(entry);
    const period = load<u32>(entry + 4);
    memory.fill(pattern, 0xff, period);
    for (let i = load<u32>(entry + 8); i < load<u32>(entry + 12); i++) {
      const at = primes + (<usize>i << 2);
      const p = load<u32>(at);
      store<i32>(state, <i32>(p / 30) << 3); // next multiple: p·1, in byte ⌊p/30⌋
      crossRun(pattern, pattern + <usize>period, at, state, 1, wheelIndex(p % 30));
    }
    // the first CHUNK_BYTES again after the period (see patternWindow)
    const extra = load<u32>(ctx + CTX_CHUNK_BYTES);
    for (let done: u32 = 0; done < extra; done += period) {
      memory.copy(pattern + period + done, pattern + done, min<u32>(period, extra - done));
    }
  }
  return <f64>count;
}

// ---- warm-up ----
/** Warm-up regions: a lock word each at the start of the scratch area, then the regions. */
const WARM_REGIONS: u32 = 4;
const WARM_BYTES: usize = 9728;

/**
 * Runs setup, both sieve modes and extraction on N = 3839 inside one warm-up region of
 * [base, base + WARM_BYTES): 5 pre-sieve groups (so both AND paths run), small and medium
 * primes, 2 segments of 2 chunks. Returns π(N) less 3 (2, 3 and 5).
 */
function warmUpIn(base: usize): f64 {
  memory.fill(base, 0, WARM_BYTES);
  const ctx = base;
  store<f64>(ctx + CTX_N, 3839);
  store<u32>(ctx + CTX_ROOT, 61);
  store<u32>(ctx + CTX_BASE_LIMIT, 61);
  store<u32>(ctx + CTX_LOCKS, base + 128);
  store<u32>(ctx + CTX_RUNS, base + 256);
  store<u32>(ctx + CTX_PRIMES, base + 336);
  store<u32>(ctx + CTX_CROSS, base + 448);
  store<u32>(ctx + CTX_BASE_SCRATCH, base + 576);
  // groups {7, 11}, {13}, {17}, {19}, {23}: patterns of period + CHUNK_BYTES bytes from base + 640
  const groups = base + 160;
  const periods: u64 = 77 | 13 << 8 | 17 << 16 | 19 << 24 | <u64>23 << 32;
  let pattern = base + 640;
  for (let g: u32 = 0; g < 5; g++) {
    const period = <u32>(periods >> (<u64>g << 3)) & 0xff;
    const entry = groups + (<usize>g << 4);
    store<u32>(entry, pattern);
    store<u32>(entry + 4, period);
    store<u32>(entry + 8, g == 0 ? 0 : g + 1);
    store<u32>(entry + 12, g + 2);
    pattern += (<usize>period + 128 + 15) & ~15;
  }
  store<u32>(ctx + CTX_GROUPS, groups);
  store<u32>(ctx + CTX_GROUP_COUNT, 5);
  store<u32>(ctx + CTX_PRESIEVE_MAX, 23);
  store<u32>(ctx + CTX_SIEVE_FROM, 6);
  store<u32>(ctx + CTX_SMALL_MAX, 40);
  store<u32>(ctx + CTX_PATTERNS, base + 640);
  store<u32>(ctx + CTX_PATTERN_BYTES, 832);
  store<u32>(ctx + CTX_SLOTS, base + 1472);
  // the slot's copy of the patterns lies past the output list, at base + 5568
  store<u32>(ctx + CTX_SLOT_PATTERNS, 4096);
  store<u32>(ctx + CTX_SLOT_STRIDE, 448);
  store<u32>(ctx + CTX_SLOT_COUNT, 1);
  store<u32>(ctx + CTX_SEGMENT_BYTES, 64);
  store<u32>(ctx + CTX_CHUNK_BYTES, 32);
  store<u32>(ctx + CTX_PART_BYTES, 128);
  store<u32>(ctx + CTX_RECORDS, base + 2496);
  store<u32>(ctx + CTX_FLAGS, FLAG_SUMS);
  setup(ctx);
  sievePart(ctx, 0, 128);
  store<u32>(ctx + CTX_BITMAP, base + 1920);
  sievePart(ctx, 0, 128);
  store<u32>(ctx + CTX_OFFSETS, base + 2528);
  store<u32>(ctx + CTX_OUT, base + 2560);
  store<u32>(ctx + CTX_OUT_BYTES, 4);
  return extractPart(ctx, 0, 128);
}

/**
 * Warm-up for V8's tiering (src/kernels/module.ts): exercises every sieve function on a tiny
 * range inside [scratch, scratch + 64 + 4 × 9728), which must be memory nobody else uses while
 * it runs. Workers warming up at once each lock a region of their own; a call that finds all
 * of them taken does nothing and returns -1.
 */
export function sieveWarmUp(scratch: usize): f64 {
  for (let r: u32 = 0; r < WARM_REGIONS; r++) {
    const lock = scratch + (<usize>r << 2);
    if (atomic.cmpxchg<i32>(lock, 0, 1) != 0) continue;
    const count = warmUpIn(scratch + 64 + <usize>r * WARM_BYTES);
    atomic.store<i32>(lock, 0);
    return count;
  }
  return -1;
}

// ---- kernels ----
/**
 * Setup job (run once, on one part): base primes and pre-sieve patterns into the context's
 * regions. Block arguments are ignored. Returns the number of base primes.
 */
export function sieveSetup(_blockStart: f64, _blockEnd: f64, ctx: usize): f64 {
  return setup(ctx);
}

/**
 * Sieves wheel bytes [blockStart, blockEnd) — numbers [30·blockStart, 30·blockEnd) ∩ [0, N] —
 * in scratch segments, or in place in the context's bitmap when it has one. Writes the part's
 * record (count, positional sums, largest prime) and returns its prime count (≥ 7 only);
 * -1 if no scratch slot was free.
 */
export function sieveCount(blockStart: f64, blockEnd: f64, ctx: usize): f64 {
  return sievePart(ctx, <u64>blockStart, <u64>blockEnd);
}

/**
 * Writes the primes of bitmap bytes [blockStart, blockEnd) into the output list (u32 or f64)
 * from the part's offset on, ascending. Returns how many it wrote.
 */
export function sieveExtract(blockStart: f64, blockEnd: f64, ctx: usize): f64 {
  return extractPart(ctx, <u64>blockStart, <u64>blockEnd);
}
