/**
 * The plan and the shared-memory layout of the prime sieve (kernels: assembly/sieve.ts).
 *
 * The range [0, N] is a wheel bitmap of ⌊N/30⌋ + 1 bytes (8 numbers coprime to 30 per byte).
 * Parts are fixed runs of bytes chosen from N alone, so results never depend on the worker
 * count; each part is sieved in segments sized to the L2 cache, small primes in L1-sized
 * chunks. A context block in shared memory tells every kernel where the base primes, the
 * pre-sieve patterns, the per-worker scratch slots and the per-part records are.
 */
import { AbortError, WorkerError } from "../errors.js";
import { partition, type PartitionSpec } from "../plan/partition.js";
import type { Pool, Progress } from "../pool/pool.js";

/** Word index (u32) of each context field; byte offsets are 4× these. Mirrors CTX_* in assembly/sieve-context.ts. */
/** Exported for test/workloads/sieve-layout.test.ts, which checks it against assembly/sieve-context.ts. */
export const Ctx = {
  SLOTS: 0, SLOT_STRIDE: 1, SLOT_COUNT: 2, LOCKS: 3, PRIMES: 4, PRIME_COUNT: 5, SIEVE_FROM: 6, SIEVE_TO: 7,
  SEGMENT_BYTES: 8, PART_BYTES: 9, GROUPS: 10, GROUP_COUNT: 11, PRESIEVE_MAX: 12, BITMAP: 13, RECORDS: 14,
  FLAGS: 15, /* f64 N at words 16–17 */ BASE_LIMIT: 18, ROOT: 19, BASE_SCRATCH: 20, OUT: 21, OUT_BYTES: 22,
  OFFSETS: 23, CROSS: 24, RUNS: 25, SMALL_MAX: 26, CHUNK_BYTES: 27, PATTERNS: 28, PATTERN_BYTES: 29,
  SLOT_PATTERNS: 30,
} as const;
const CTX_BYTES = 128;
export const N_BYTE_OFFSET = 64;
export const FLAG_SUMS = 1;
/** f64s per part record: count, positional sum, residue sum, largest prime. */
export const RECORD_WORDS = 4;

/** L1 chunk: small primes cross off one 32 KiB chunk at a time, inside the 48 KiB L1 data cache. */
export const CHUNK_BYTES = 32 * 1024;
/** Segment: medium primes cross off a whole segment at once, in the 2 MiB L2 cache; larger for larger √N. */
export const MIN_SEGMENT_BYTES = 256 * 1024;
export const MAX_SEGMENT_BYTES = 1024 * 1024;
/** Primes up to this are small: at least 64 multiples per chunk (262144/p of them); 2048–4096 measured best
 *  on AMD EPYC, 16384 was 12% slower on 10^10 (docs/algorithms.md, "Cache blocking"). */
export const SMALL_MAX = 4096;
/** Scratch slot: segment, 16 u32 run counts, one i32 state per crossing prime. */
export const SLOT_ACTIVE_BYTES = 64;
export const RUN_BOUNDARIES = 17;

/**
 * Pre-sieve groups: the primes of a group are removed by AND-ing a pattern whose period is
 * their product (in bytes), so they are never crossed off one by one. The first group's
 * pattern is copied (it initialises the chunk), the others are AND-ed four per pass. Pairs
 * keep every pattern small (≤ 27 KiB) so that all of them stay in L2 beside the segment.
 */
const GROUPS: ReadonlyArray<readonly number[]> = [
  [7, 11, 13, 17], [19, 23], [29, 31], [37, 41], [43, 47], [53, 59], [61, 67], [71, 73], [79, 83],
  [89, 97], [101, 103], [107, 109], [113, 127], [131, 137], [139, 149], [151, 157], [163, 167],
];
const period = (primes: readonly number[]): number => primes.reduce((a, b) => a * b, 1);
/** Index in the base prime list (7, 11, 13, …) of each group's first prime: the groups hold consecutive primes. */
const GROUP_FIRST = GROUPS.map((_, g) => GROUPS.slice(0, g).reduce((n, group) => n + group.length, 0));

export interface SievePlan {
  n: number;
  /** Bitmap bytes: ⌊N/30⌋ + 1. */
  bytes: number;
  root: number;
  spec: PartitionSpec;
  /** Bytes per segment (medium primes cross off a segment at a time), a divisor of the part size. */
  segmentBytes: number;
  /** Bytes per chunk (small primes cross off a chunk at a time). */
  chunkBytes: number;
  /** Pre-sieve groups used (a prefix of GROUPS). */
  groups: number;
  presieveMax: number;
  baseLimit: number;
  /** Primes below 7 that are ≤ N (2, 3, 5): the bitmap does not hold them. */
  small: number[];
}

export function isqrt(n: number): number {
  let r = Math.floor(Math.sqrt(n));
  while (r * r > n) r--;
  while ((r + 1) * (r + 1) <= n) r++;
  return r;
}

/** An upper bound of π(x): Dusart (2010) for x ≥ 355991, Rosser–Schoenfeld (1962) below. */
export function primeCountUpperBound(x: number): number {
  if (x < 17) return 6;
  const l = Math.log(x);
  if (x >= 355991) return Math.ceil((x / l) * (1 + 1 / l + 2.51 / (l * l)));
  return Math.ceil((1.25506 * x) / l);
}

export function planSieve(n: number): SievePlan {
  const bytes = Math.floor(n / 30) + 1;
  const root = isqrt(n);
  let groups = 0;
  // a pattern pays off only when the range is longer than its period
  while (groups < GROUPS.length && period(GROUPS[groups]!) <= bytes) groups++;
  const presieveMax = groups === 0 ? 0 : GROUPS[groups - 1]!.at(-1)!;
  // medium primes want a dozen or more multiples per segment: 2·√N bytes, within L2; a short
  // range gets smaller segments (powers of two, down to one chunk) so that it still has ~8 parts
  let segmentBytes = MIN_SEGMENT_BYTES;
  while (segmentBytes < MAX_SEGMENT_BYTES && segmentBytes < 2 * root) segmentBytes *= 2;
  while (segmentBytes > CHUNK_BYTES && 8 * segmentBytes > bytes) segmentBytes /= 2;
  segmentBytes = Math.min(segmentBytes, align64(bytes));
  // (a range of one part, N below ~10^6, runs in the calling thread: Pool.runRange inlines it)
  // parts of up to 2 MiB (~8 ms of a 10^10 count): a part pays a task round trip and one division
  // per crossing prime for its first multiples, so larger parts cost less (636 → 159 tasks at 10^10)
  const maxPart = Math.max(8 * MIN_SEGMENT_BYTES, segmentBytes);
  const partBytes = Math.min(maxPart, Math.max(segmentBytes, Math.ceil(bytes / 64 / segmentBytes) * segmentBytes));
  return {
    n,
    bytes,
    root,
    spec: partition(0, bytes, { chunkSize: partBytes }),
    segmentBytes,
    chunkBytes: Math.min(CHUNK_BYTES, segmentBytes),
    groups,
    presieveMax,
    baseLimit: Math.max(root, presieveMax, 7),
    small: [2, 3, 5].filter((p) => p <= n),
  };
}

/** The per-part results of a sieve pass. */
export interface PartTally {
  counts: Float64Array;
  /** Exact Σ of the primes ≥ 7 of all parts (when sums were asked for). */
  sum: bigint;
  /** Largest prime ≥ 7 found, or 0. */
  last: number;
  workers: number;
  backend: "workers" | "inline";
}

export interface PassOptions {
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** Byte offsets of a sieve's regions inside its one shared-memory block. */
interface Layout {
  ctx: number; locks: number; runs: number; groups: number; patterns: number[]; primes: number;
  cross: number; baseScratch: number; records: number; offsets: number; slots: number;
  /** Bytes each slot copies: all patterns, back to back from patterns[0]; 0 for a single slot. */
  patternBytes: number;
  /** Bitmap of the whole range, or -1 when counting in scratch segments. */
  bitmap: number;
  /** A slot's size, and where in it its copy of the patterns starts. */
  segmentBytes: number; slotStride: number; slotPatterns: number;
  /** The header, zeroed before use: everything before the slots. */
  headerBytes: number;
  bytes: number;
}

function layout(plan: SievePlan, slots: number, bitmap: boolean): Layout {
  let end = 0;
  const place = (bytes: number): number => {
    const at = align64(end);
    end = at + bytes;
    return at;
  };
  const crossBound = primeCountUpperBound(plan.root) + 1;
  const segmentBytes = plan.segmentBytes;
  // a slot: segment | active counts | states | a copy of the patterns, made by each part (assembly/sieve.ts, ownPatterns)
  const slotPatterns = segmentBytes + SLOT_ACTIVE_BYTES + align64(4 * crossBound);
  const patternSizes = Array.from({ length: plan.groups }, (_, g) => align64(period(GROUPS[g]!) + plan.chunkBytes + 16));
  // the copies only keep workers from reading one shared copy: a single slot reads the patterns in place
  const patternBytes = slots > 1 ? patternSizes.reduce((a, b) => a + b, 0) : 0;
  const slotStride = slotPatterns + patternBytes;
  const parts = plan.spec.parts;
  const ctx = place(CTX_BYTES);
  const locks = place(4 * slots);
  const runs = place(4 * RUN_BOUNDARIES);
  const groups = place(16 * Math.max(plan.groups, 1));
  const primes = place(4 * (primeCountUpperBound(plan.baseLimit) + 1));
  const cross = place(4 * crossBound);
  const baseScratch = place(Math.floor(plan.baseLimit / 2) + 64);
  const records = place(8 * RECORD_WORDS * parts);
  const offsets = place(8 * parts);
  // the patterns back to back, each 64-aligned, so that one copy moves all of them
  const patterns: number[] = [];
  for (const size of patternSizes) patterns.push(place(size));
  const headerBytes = align64(end);
  const slotsAt = place(slotStride * slots);
  const bitmapAt = bitmap ? place(align64(plan.bytes) + 64) : -1;
  // crossing computes addresses up to one prime (≤ √N) past a segment's end: keep them inside
  // the block, so they cannot wrap past 2^32 when the block ends at the top of a 4 GiB memory
  place(plan.root + 64);
  return {
    ctx, locks, runs, groups, patterns, patternBytes, primes, cross, baseScratch, records, offsets, slots: slotsAt,
    bitmap: bitmapAt, segmentBytes, slotStride, slotPatterns, headerBytes, bytes: align64(end),
  };
}

/** Bytes of shared memory a sieve takes (besides the list), for the memory check before sieving. */
export function sieveBytes(plan: SievePlan, slots: number, bitmap: boolean): number {
  return layout(plan, slots, bitmap).bytes;
}

/**
 * One sieve over shared memory: a single block for the context, base primes, patterns,
 * scratch slots, records and (for listing) the bitmap; free() returns it.
 */
export class Sieve {
  private readonly block: Uint8Array;
  private readonly ctx: Uint32Array;
  private readonly at: Layout;

  constructor(private readonly pool: Pool, readonly plan: SievePlan, private readonly slots: number, bitmap: boolean) {
    this.at = layout(plan, slots, bitmap);
    this.block = pool.arena.alloc(Uint8Array, this.at.bytes, 64, false);
    const { at, block } = this;
    block.fill(0, 0, at.headerBytes);
    const base = block.byteOffset;
    const ctx = this.ctx = new Uint32Array(block.buffer, base + at.ctx, CTX_BYTES / 4);
    new Float64Array(block.buffer, base + at.ctx + N_BYTE_OFFSET, 1)[0] = plan.n;
    ctx[Ctx.SEGMENT_BYTES] = at.segmentBytes;
    ctx[Ctx.CHUNK_BYTES] = plan.chunkBytes;
    ctx[Ctx.SMALL_MAX] = SMALL_MAX;
    ctx[Ctx.PART_BYTES] = plan.spec.blockSize;
    ctx[Ctx.ROOT] = plan.root;
    ctx[Ctx.BASE_LIMIT] = plan.baseLimit;
    ctx[Ctx.PRIMES] = base + at.primes;
    ctx[Ctx.CROSS] = base + at.cross;
    ctx[Ctx.RUNS] = base + at.runs;
    ctx[Ctx.BASE_SCRATCH] = base + at.baseScratch;
    ctx[Ctx.RECORDS] = base + at.records;
    ctx[Ctx.OFFSETS] = base + at.offsets;
    ctx[Ctx.SLOTS] = base + at.slots;
    ctx[Ctx.SLOT_STRIDE] = at.slotStride;
    ctx[Ctx.SLOT_COUNT] = slots;
    ctx[Ctx.LOCKS] = base + at.locks;
    ctx[Ctx.PATTERNS] = at.patterns.length ? base + at.patterns[0]! : 0;
    ctx[Ctx.PATTERN_BYTES] = at.patternBytes;
    ctx[Ctx.SLOT_PATTERNS] = at.slotPatterns;
    const groups = new Uint32Array(block.buffer, base + at.groups, 4 * plan.groups);
    for (let g = 0; g < plan.groups; g++) {
      groups.set([base + at.patterns[g]!, period(GROUPS[g]!), GROUP_FIRST[g]!, GROUP_FIRST[g]! + GROUPS[g]!.length], 4 * g);
    }
    ctx[Ctx.GROUPS] = base + at.groups;
    ctx[Ctx.GROUP_COUNT] = plan.groups;
    ctx[Ctx.PRESIEVE_MAX] = plan.presieveMax;
    ctx[Ctx.SIEVE_FROM] = plan.groups === 0 ? 0 : GROUP_FIRST[plan.groups - 1]! + GROUPS[plan.groups - 1]!.length;
    if (at.bitmap >= 0) {
      // sieve in place into a bitmap of the whole range (for listing) instead of scratch segments;
      // extraction reads whole words past the range's end, so the tail is zero
      block.fill(0, at.bitmap + plan.bytes, at.bitmap + align64(plan.bytes) + 64);
      ctx[Ctx.BITMAP] = base + at.bitmap;
    }
  }

  /** Base primes, crossing-prime runs and pre-sieve patterns: one small job in the calling thread. */
  async setup(): Promise<void> {
    await this.pool.runRange({ kernel: "sieveSetup", args: [this.ctx.byteOffset], spec: partition(0, 1, { chunkSize: 1 }), inlineBelow: 2 });
  }

  /** Pass 1: sieve every part; per-part counts, and the exact sum when `sums`. */
  async count(sums: boolean, options: PassOptions, progress?: ProgressPhase): Promise<PartTally> {
    const { plan, ctx } = this;
    const records = new Float64Array(this.block.buffer, ctx[Ctx.RECORDS]!, plan.spec.parts * RECORD_WORDS);
    ctx[Ctx.FLAGS] = sums ? FLAG_SUMS : 0;
    // counting in scratch segments reads the header and writes the records: workers without shared
    // memory can do it on private copies; sieving into a bitmap (for listing) runs where the bitmap is
    const privateMemory = this.at.bitmap < 0
      ? { inputs: [this.block.subarray(0, this.at.headerBytes)], partOutputs: [{ view: records, bytesPerPart: 8 * RECORD_WORDS }] }
      : undefined;
    const run = await this.pool.runRange({
      kernel: "sieveCount", args: [ctx.byteOffset], spec: plan.spec, privateMemory, inlineBelow: inlineBelow(plan),
      workers: options.workers, signal: options.signal, onProgress: progress?.relay(options.onProgress),
    });
    if (run.partials.some((c) => c < 0)) throw new WorkerError("sieveCount found no free scratch slot: more kernel calls ran at once than the job has workers");
    const counts = new Float64Array(plan.spec.parts);
    let sum = 0n;
    let last = 0;
    for (let j = 0; j < plan.spec.parts; j++) {
      const r = j * RECORD_WORDS;
      const count = records[r]!;
      counts[j] = count;
      // Σ over the part's bytes k from its start: 30·(start + k)·popcount + residues
      if (sums) sum += 30n * (BigInt(j * plan.spec.blockSize) * BigInt(count) + BigInt(records[r + 1]!)) + BigInt(records[r + 2]!);
      last = Math.max(last, records[r + 3]!);
    }
    return { counts, sum, last, workers: run.workers, backend: run.backend };
  }

  /**
   * Pass 2 (after count() on a bitmap): writes each part's primes at its offset in `out`,
   * whose first plan.small.length entries the caller fills.
   */
  async extract(out: Uint32Array | Float64Array, counts: Float64Array, options: PassOptions, progress?: ProgressPhase): Promise<void> {
    const { plan, ctx } = this;
    const offsets = new Float64Array(this.block.buffer, ctx[Ctx.OFFSETS]!, plan.spec.parts);
    let next = plan.small.length;
    for (let j = 0; j < counts.length; j++) {
      offsets[j] = next;
      next += counts[j]!;
    }
    ctx[Ctx.OUT] = out.byteOffset;
    ctx[Ctx.OUT_BYTES] = out.BYTES_PER_ELEMENT;
    const run = await this.pool.runRange({
      kernel: "sieveExtract", args: [ctx.byteOffset], spec: plan.spec, inlineBelow: inlineBelow(plan),
      workers: options.workers, signal: options.signal, onProgress: progress?.relay(options.onProgress),
    });
    for (let j = 0; j < counts.length; j++) {
      if (run.partials[j] !== counts[j]) throw new WorkerError(`part ${j} listed ${run.partials[j]} primes but counted ${counts[j]}`);
    }
  }

  free(): void {
    this.pool.free(this.block);
  }
}

/** A range of one part (N below ~10^6, a few ms) runs in the calling thread: a worker round trip would cost more. */
function inlineBelow(plan: SievePlan): number {
  return plan.spec.parts <= 1 ? plan.bytes + 1 : 0;
}

function align64(n: number): number {
  return Math.ceil(n / 64) * 64;
}

/** Maps one pass's progress into a job of several passes: done counts parts over all passes. */
export class ProgressPhase {
  constructor(private readonly before: number, private readonly total: number) {}

  static passes(parts: number, passes: number): ProgressPhase[] {
    return Array.from({ length: passes }, (_, i) => new ProgressPhase(i * parts, parts * passes));
  }

  relay(onProgress?: (p: Progress) => void): ((p: Progress) => void) | undefined {
    if (!onProgress) return undefined;
    return (p) => {
      const done = this.before + p.done;
      onProgress({ done, total: this.total, fraction: done / this.total });
    };
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError(signal.reason);
}
