/**
 * The Gregory–Leibniz series to exact digits: Σ_{i=from}^{to−1} (−1)^i · 4/(2i+1) with every term
 * truncated toward zero at `digits` decimal places, exactly as bc computes it at scale = digits.
 *
 * In integers: S = Σ (−1)^i · ⌊N/(2i+1)⌋ with N = 4·10^digits, and the value is S / 10^digits.
 * The kernel (assembly/leibniz.ts) divides N, held as L limbs of k bits in shared memory, by
 * each term's divisor, and each part writes L signed per-limb sums into its own slot; the parts
 * are added here as BigInts in part order. Slots and scratch are per part, so the parts run in
 * waves of a bounded number of parts to bound the memory for long ranges at many digits.
 */
import { AbortError, invalid } from "../errors.js";
import { MAX_BLOCK, partition, type PartitionSpec } from "../plan/partition.js";
import type { Progress } from "../pool/call-types.js";
import * as check from "../validate.js";
import { defineWorkload, type CommonOptions, type CommonResult, type WorkloadContext } from "./define.js";
import { fmt } from "../validate.js";

/** Largest index bound `to`: divisors stay below 2^41, so limbs keep at least 11 bits. */
export const LEIBNIZ_MAX_INDEX = 1e12;
export const LEIBNIZ_MAX_TERMS = 1e10;
export const LEIBNIZ_MAX_DIGITS = 10000;
/** Limb-terms (terms × limbs) per kernel call at most: about 2–4 ms at ~1 ns each. */
const LIMB_TERMS_PER_CALL = 1 << 21;
/** Limb-terms below which the calling thread does the work. */
const INLINE_LIMB_TERMS = 1 << 16;
/** Shared memory for one wave's slots and scratch, at most (more parts per wave only if at least 64 fit). */
const WAVE_BYTES = 32 << 20;
const MAX_WAVE_PARTS = 4096;
const MIN_WAVE_PARTS = 64;

export interface LeibnizOptions extends CommonOptions {
  /** First index, an integer from 0 to 1e12. */
  from: number;
  /** One past the last index, an integer from `from` to min(1e12, from + 1e10). */
  to: number;
  /** Decimal places of every term and of the result, an integer from 1 to 10000. */
  digits: number;
  /** Terms per part. Default: automatic from the range and digits (never from the worker count). */
  chunkSize?: number;
}

export interface LeibnizResult extends CommonResult {
  /**
   * The sum as bc prints it at scale = digits, without bc's line breaks: exactly `digits`
   * places, no leading 0 before the point ("-.5714", "3.1415…"), and "0" when the sum is zero.
   */
  value: string;
  /** First index, as given. */
  from: number;
  /** One past the last index, as given. */
  to: number;
  /** Decimal places of every term and of the value. */
  digits: number;
  /** Terms summed: to − from. */
  terms: number;
}

/** How N = 4·10^digits is split into limbs for divisors below 2^bits(2·to − 1). */
export interface LimbLayout {
  /** Bits per limb, k: q·2^(k+1) ≤ 2⁵³ for every divisor q. */
  baseBits: number;
  limbs: number;
  /** Largest terms per kernel call that keep the per-limb sums exact (2^(51−k)). */
  maxChunk: number;
}

export function limbLayout(to: number, digits: number): LimbLayout {
  const maxDivisor = Math.max(1, 2 * to - 1);
  const divisorBits = Math.floor(Math.log2(maxDivisor)) + 1;
  const baseBits = 52 - divisorBits;
  const numeratorBits = (4n * 10n ** BigInt(digits)).toString(2).length;
  return { baseBits, limbs: Math.ceil(numeratorBits / baseBits), maxChunk: 2 ** (51 - baseBits) };
}

/** The bc text of S / 10^digits: "-.5714", "4.0", "3.1415…", and "0" for zero. */
export function formatScaled(scaled: bigint, digits: number): string {
  if (scaled === 0n) return "0";
  const negative = scaled < 0n;
  const magnitude = negative ? -scaled : scaled;
  const unit = 10n ** BigInt(digits);
  const whole = magnitude / unit;
  const fraction = (magnitude % unit).toString().padStart(digits, "0");
  return `${negative ? "-" : ""}${whole === 0n ? "" : whole.toString()}.${fraction}`;
}

/** The Gregory–Leibniz partial sum Σ_{k=from}^{to−1} 4·(−1)^k/(2k+1), exact to `digits` decimals. */
export const leibniz = defineWorkload<LeibnizOptions, { from: number; to: number; digits: number; layout: LimbLayout; chunkSize?: number }, LeibnizResult>({
  name: "leibniz",
  example: "leibniz({ from: 0, to: 1e6, digits: 60 })",
  keys: ["from", "to", "digits", "chunkSize"],
  // on a cluster the tables its kernel reads and the per-part slots it writes travel as privateMemory regions (src/cluster/)
  ranges: true,
  check(options) {
    const from = check.integer("from", options.from, 0, LEIBNIZ_MAX_INDEX);
    const maxTo = Math.min(LEIBNIZ_MAX_INDEX, from + LEIBNIZ_MAX_TERMS);
    if (typeof options.to !== "number" || !Number.isInteger(options.to) || options.to < from || options.to > maxTo) {
      throw invalid("to", options.to, `an integer from ${from} (from) to ${maxTo} (at most ${fmt(LEIBNIZ_MAX_TERMS)} terms past from, and at most ${fmt(LEIBNIZ_MAX_INDEX)})`);
    }
    const to = options.to;
    const digits = check.integer("digits", options.digits, 1, LEIBNIZ_MAX_DIGITS);
    const layout = limbLayout(to, digits);
    const chunkSize = options.chunkSize === undefined ? undefined : check.integer("chunkSize", options.chunkSize, 1, Math.min(layout.maxChunk, MAX_BLOCK));
    return { from, to, digits, layout, chunkSize };
  },
  async run(ctx, { from, to, digits, layout, chunkSize }) {
    const maxChunk = Math.min(layout.maxChunk, 2 ** Math.max(1, Math.floor(Math.log2(LIMB_TERMS_PER_CALL / layout.limbs))));
    const spec = partition(from, to, { chunkSize, maxChunk });
    const { sum, workers, backend } = await sumOnPool(ctx, spec, digits, layout);
    return { value: formatScaled(sum, digits), from, to, digits, terms: to - from, workers, backend, parts: spec.parts, chunkSize: spec.blockSize };
  },
});

/**
 * leibnizScratchBytes(L) of a pool's kernels. The kernel owns its scratch layout, so a call asks
 * it, once per pool and L: the apply is a round trip to a worker, 0.3 ms of a 4 ms call (10⁶
 * terms at 60 digits, 2 workers, AMD EPYC).
 */
const scratchSizes = new WeakMap<object, Map<number, number>>();
async function scratchBytesOf(pool: WorkloadContext<Progress>["pool"], limbs: number): Promise<number> {
  let sizes = scratchSizes.get(pool);
  if (!sizes) scratchSizes.set(pool, sizes = new Map());
  let bytes = sizes.get(limbs);
  if (bytes === undefined) sizes.set(limbs, bytes = await pool.apply("leibnizScratchBytes", [limbs]));
  return bytes;
}

/** Runs the parts wave by wave and adds their limb sums in part order. */
async function sumOnPool(ctx: WorkloadContext<Progress>, spec: PartitionSpec, digits: number, layout: LimbLayout) {
  const { pool } = ctx;
  const { limbs, baseBits } = layout;
  const chunk = spec.blockSize;
  const scratchBytes = await scratchBytesOf(pool, limbs);
  const slotBytes = scratchBytes + 8 * limbs;
  const waveParts = Math.min(MAX_WAVE_PARTS, Math.max(MIN_WAVE_PARTS, Math.floor(WAVE_BYTES / slotBytes)), Math.max(spec.parts, 1));
  pool.arena.ensureCanAllocate(waveParts * slotBytes + 8 * limbs, `leibniz's limb sums and scratch for ${waveParts} parts of ${limbs} limbs`);
  const numerator = pool.alloc(Float64Array, limbs);
  let scratch: Float64Array | undefined;
  let out: Float64Array | undefined;
  try {
    numerator.set(numeratorLimbs(digits, layout));
    scratch = pool.alloc(Float64Array, Math.ceil((waveParts * scratchBytes) / 8));
    out = pool.alloc(Float64Array, waveParts * limbs);
    let sum = 0n;
    let workers = 1;
    let backend: "workers" | "inline" = "inline";
    for (let first = 0; first < spec.parts; first += waveParts) {
      if (ctx.signal?.aborted) throw new AbortError(ctx.signal.reason);
      const waveStart = spec.start + first * chunk;
      const wave = partition(waveStart, Math.min(spec.end, waveStart + waveParts * chunk), { chunkSize: chunk });
      const onProgress = ctx.onProgress && ((p: { done: number }) => {
        const done = first + p.done;
        ctx.onProgress!({ done, total: spec.parts, fraction: done / spec.parts });
      });
      const run = await ctx.runRange({
        onProgress,
        kernel: "leibnizTerms",
        args: [waveStart, chunk, numerator.byteOffset, limbs, baseBits, scratch.byteOffset, out.byteOffset],
        spec: wave,
        inlineBelow: Math.ceil(INLINE_LIMB_TERMS / limbs),
        // what the kernel reads and writes besides its scratch: workers without shared memory can run it
        privateMemory: { inputs: [numerator], partOutputs: [{ view: out, bytesPerPart: 8 * limbs }] },
      });
      workers = Math.max(workers, run.workers);
      if (run.backend === "workers") backend = "workers";
      for (let part = 0; part < wave.parts; part++) sum += limbSum(out, part * limbs, limbs, baseBits);
    }
    return { sum, workers, backend };
  } finally {
    pool.free(numerator);
    if (scratch) pool.free(scratch);
    if (out) pool.free(out);
  }
}

/** N = 4·10^digits as `limbs` limbs of `baseBits` bits, most significant first. */
function numeratorLimbs(digits: number, { limbs, baseBits }: LimbLayout): number[] {
  const n = 4n * 10n ** BigInt(digits);
  const mask = (1n << BigInt(baseBits)) - 1n;
  return Array.from({ length: limbs }, (_, j) => Number((n >> BigInt(baseBits * (limbs - 1 - j))) & mask));
}

/** Σ_j x_j · 2^(k(L−1−j)) over one part's signed per-limb sums (exact f64 integers). */
function limbSum(out: Float64Array, at: number, limbs: number, baseBits: number): bigint {
  let s = 0n;
  const k = BigInt(baseBits);
  for (let j = 0; j < limbs; j++) s = (s << k) + BigInt(out[at + j]!);
  return s;
}
