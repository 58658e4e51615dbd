/**
 * What travels through Redis between a coordinator and the workers: one part-job per group of
 * consecutive parts of a range job, and its answer. Everything is JSON (BullMQ stores job data
 * and return values as JSON), so numbers cross as strings that give back the same double:
 * JavaScript's Number → String is the shortest text that parses back to the same bits (integer
 * counts below 10²¹ print as plain decimals), and -0, NaN and ±Infinity, which JSON would lose
 * or turn into null, are spelled out. Bytes cross as base64.
 */
import type { PartitionSpec } from "../plan/partition.js";
import type { PartCombine } from "../platform/task.js";

/** Bumped when the shape below changes: a worker refuses part-jobs of another version. */
export const WIRE_VERSION = 1;

/** One part-job: parts first … first + count − 1 of a range job (BullMQ job data). */
export interface PartJobData {
  v: number;
  /** The range job's id (the BullMQ parent job is named after it). */
  job: string;
  /** SHA-256 (hex) of the module whose export `kernel` is; its bytes are in Redis under that hash. */
  module: string;
  kernel: string;
  /** Kernel arguments after (blockStart, blockEnd), each encodeNumber'd. */
  args: string[];
  spec: PartitionSpec;
  combine: PartCombine;
  first: number;
  count: number;
  /** Worker threads the machine may use for it at most (job-wide per-thread scratch is sized by this). */
  lanes: number;
  /** The coordinator's memory size: kernel addresses are valid below it. */
  memoryBytes: number;
  /** Regions of the coordinator's memory the kernel reads, by SHA-256 of their bytes in Redis. */
  inputs: Array<{ offset: number; bytes: number; sha256: string }>;
  /** Per-part output slots: part j writes bytesPerPart bytes at offset + j·bytesPerPart. */
  outputs: Array<{ offset: number; bytesPerPart: number }>;
}

/** A part-job's answer (BullMQ return value). */
export interface PartJobResult {
  first: number;
  count: number;
  /** One encodeNumber'd partial per part. */
  partials: string[];
  /** Per output: the parts' slot bytes, base64. */
  outputs: string[];
  /** Which worker process ran it ("host#pid"). */
  machine: string;
  /** Worker threads it used there. */
  workers: number;
}

/** A double as text that parses back to the same value, -0, NaN and ±Infinity included. */
export function encodeNumber(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/** The inverse of encodeNumber; throws on anything it would not have written. */
export function decodeNumber(text: unknown): number {
  // the forms Number → String writes: 123, -1.5, 1e+21, 5e-324, -0, Infinity, -Infinity, NaN
  if (typeof text !== "string" || !/^(-?(\d+(\.\d+)?(e[+-]\d+)?|Infinity)|NaN)$/.test(text)) {
    throw new TypeError(`not an encoded number: ${JSON.stringify(text)}`);
  }
  return Number(text);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** The sub-range of a block partition that parts first … first + count − 1 cover, as a partition of its own with the same blocks. */
export function blockSubSpec(spec: PartitionSpec, first: number, count: number): PartitionSpec {
  const start = spec.start + first * spec.blockSize;
  return { scheme: "block", start, end: Math.min(spec.end, start + count * spec.blockSize), parts: count, blockSize: spec.blockSize };
}
