/**
 * Partitions of an index range [start, end) into parts — the three domain-decomposition
 * schemes. A part is a set of equal-sized blocks `stride` apart:
 *   block:        part j is one contiguous block of `blockSize` indices;
 *   cyclic:       part j is { j, j + parts, j + 2·parts, … } (blocks of one index);
 *   block-cyclic: blocks of `blockSize` dealt round-robin to `parts` parts.
 * Part boundaries depend only on the range and the scheme's sizes, never on the worker count,
 * so results reduced part by part have the same bits however the parts are scheduled.
 */
import { invalid } from "../errors.js";

export type PartitionScheme = "block" | "cyclic" | "block-cyclic";

export interface PartitionSpec {
  readonly scheme: PartitionScheme;
  /** First index of the range. */
  readonly start: number;
  /** One past the last index. */
  readonly end: number;
  /** Number of parts. */
  readonly parts: number;
  /** Indices per block (1 for cyclic). */
  readonly blockSize: number;
}

export interface PartitionOptions {
  scheme?: PartitionScheme;
  /** Indices per chunk (block) or per block (block-cyclic). Default: automatic from the length. */
  chunkSize?: number;
  /** Number of parts, for cyclic and block-cyclic. Default: the number of blocks, at most 64. */
  parts?: number;
}

/** Largest index we accept: every integer below 2⁵³ is exact in an f64. */
export const MAX_INDEX = 2 ** 53;

/**
 * Chunk size chosen from the length alone: about `targetParts` chunks, a power of two between
 * `minChunk` and `maxChunk` (the largest chunk a single kernel call should take, a few ms).
 */
export function autoChunkSize(length: number, maxChunk: number, minChunk = 1024, targetParts = 64): number {
  let size = minChunk;
  while (size < maxChunk && size * targetParts < length) size *= 2;
  return Math.min(size, maxChunk);
}

/**
 * Most indices in one block, the most one kernel call is given: an abort (or a timeout) waits
 * for the kernel calls running, so their length must be bounded whatever the range.
 */
export const MAX_BLOCK = 2 ** 30;

/** Most parts a partition may have (each has a state word and a result slot in shared memory). */
export const MAX_PARTS = 1 << 24;

export function partition(start: number, end: number, options: PartitionOptions & { maxChunk?: number; minChunk?: number } = {}): PartitionSpec {
  if (typeof options !== "object" || options === null) throw invalid("partition options", options, "an options object");
  const scheme = options.scheme ?? "block";
  if (scheme !== "block" && scheme !== "cyclic" && scheme !== "block-cyclic") {
    throw invalid("partition", scheme, '"block", "cyclic" or "block-cyclic"');
  }
  const index = (name: string, v: unknown): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || Math.abs(v) > MAX_INDEX) throw invalid(name, v, "an integer from -2^53 to 2^53");
    return v;
  };
  index("start", start);
  index("end", end);
  if (end < start) throw invalid("end", end, `an integer at least start (${start})`);
  const positive = (name: string, v: unknown, max: number): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) throw invalid(name, v, `an integer from 1 to ${max === MAX_INDEX ? "2^53" : max}`);
    return v;
  };
  positive("chunkSize", options.chunkSize, MAX_INDEX);
  positive("parts", options.parts, MAX_PARTS);
  positive("maxChunk", options.maxChunk, MAX_INDEX);
  positive("minChunk", options.minChunk, MAX_INDEX);
  const length = Math.max(0, end - start);
  const chunk = options.chunkSize ?? autoChunkSize(length, options.maxChunk ?? 1 << 22, options.minChunk);
  if (scheme === "block") {
    return { scheme, start, end, parts: Math.ceil(length / chunk), blockSize: chunk };
  }
  const blockSize = scheme === "cyclic" ? 1 : chunk;
  const blocks = Math.ceil(length / blockSize);
  const parts = Math.min(options.parts ?? Math.min(blocks, 64), blocks);
  return { scheme, start, end, parts, blockSize };
}

/** Distance between the first indices of consecutive blocks of one part. */
export function partStride(spec: PartitionSpec): number {
  return spec.scheme === "block" ? spec.blockSize : spec.parts * spec.blockSize;
}

/**
 * Calls `visit(blockStart, blockEnd)` for each block of part `j`, in increasing order.
 * Shared by the workers and the inline backend, so both walk a part identically.
 */
export function forEachBlock(spec: PartitionSpec, j: number, visit: (blockStart: number, blockEnd: number) => void): void {
  const stride = partStride(spec);
  for (let b = spec.start + j * spec.blockSize; b < spec.end; b += stride) {
    visit(b, Math.min(b + spec.blockSize, spec.end));
    if (spec.scheme === "block") return;
  }
}

/** The indices of part j as [start, end) pairs (for tests and planning displays). */
export function partBlocks(spec: PartitionSpec, j: number): Array<[number, number]> {
  const blocks: Array<[number, number]> = [];
  forEachBlock(spec, j, (s, e) => blocks.push([s, e]));
  return blocks;
}
