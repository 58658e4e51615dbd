/**
 * A worker machine's side of one part-job: parts first … first + count − 1 of a range job, run on
 * the machine's local pool, with the same partials the coordinator's own pool would compute.
 *
 * Block partitions (every workload's): the parts form one contiguous sub-range with the same
 * blocks, run as a range job of its own (pool.runRange), or, for a single part, as one kernel
 * call on a worker thread (pool.apply), so that the process's event loop stays free to renew
 * the part-job's lock in Redis. Cyclic and block-cyclic parts are interleaved: their blocks run
 * as one batch (pool.starmap) and are combined part by part in block order, exactly as a pool
 * worker combines them (task.ts, computePart).
 *
 * Kernels that read the coordinator's memory (RangeJob.privateMemory) get its input regions at
 * the same addresses: the worker pool's arena reserves everything from its first free byte up to
 * the coordinator's memory size (both pools lay out the same header first, so the coordinator's
 * regions all lie above it), the inputs are copied there, and the output slots read back.
 */
import { KernelError } from "../errors.js";
import { forEachBlock } from "../plan/partition.js";
import type { Pool } from "../pool/pool.js";
import { blockSubSpec, decodeNumber, type PartJobData } from "./wire.js";

const BATCH_BLOCKS = 1 << 16;

/** The region a pool keeps for the coordinator's addresses, and whose inputs are in it. */
interface Reservation {
  view: Uint8Array;
  /** Id of the range job whose inputs were copied last (a later part-job of it needs no copy). */
  inputsOf?: string;
}

const reservations = new WeakMap<Pool, Reservation>();

/** One partial per part, and per output the parts' slot bytes. */
export async function runPartJob(pool: Pool, d: PartJobData, inputBytes: Uint8Array[]): Promise<{ partials: Float64Array; outputs: Uint8Array[]; workers: number }> {
  const args = d.args.map(decodeNumber);
  const lanes = Math.max(1, Math.min(pool.size, d.lanes));
  const usesMemory = d.inputs.length > 0 || d.outputs.length > 0;
  if (usesMemory) placeInputs(pool, d, inputBytes);
  let partials: Float64Array;
  try {
    partials = d.spec.scheme === "block" ? await runBlocks(pool, d, args, lanes) : await runInterleaved(pool, d, args, lanes);
  } catch (e) {
    // the sub-job numbers its parts from 0: name the range job's part
    if (e instanceof KernelError) throw new KernelError(e.kernel, partOf(d, e.part), e.trap);
    throw e;
  }
  const bytes = new Uint8Array(pool.memory.buffer);
  const outputs = d.outputs.map(({ offset, bytesPerPart }) => bytes.slice(offset + d.first * bytesPerPart, offset + (d.first + d.count) * bytesPerPart));
  return { partials, outputs, workers: d.count === 1 ? 1 : lanes };
}

async function runBlocks(pool: Pool, d: PartJobData, args: number[], lanes: number): Promise<Float64Array> {
  const spec = blockSubSpec(d.spec, d.first, d.count);
  if (d.count === 1) {
    // one part of a block partition is one block: one call, as computePart makes it
    return Float64Array.of(await pool.apply(d.kernel, [spec.start, spec.end, ...args]));
  }
  const run = await pool.runRange({ kernel: d.kernel, args, spec, combine: d.combine, workers: lanes });
  return run.partials;
}

async function runInterleaved(pool: Pool, d: PartJobData, args: number[], lanes: number): Promise<Float64Array> {
  const partials = new Float64Array(d.count);
  const blocks: Array<{ part: number; start: number; end: number }> = [];
  const flush = async (): Promise<void> => {
    if (blocks.length === 0) return;
    const values = await pool.starmap(d.kernel, blocks.map((b) => [b.start, b.end, ...args]), { workers: lanes });
    blocks.forEach((b, i) => {
      const v = values[i]!;
      const j = b.part - d.first;
      // the first block of a part starts it; the rest combine in block order
      partials[j] = b.start === firstBlockStart(d, b.part) ? v : combine(d.combine, partials[j]!, v);
    });
    blocks.length = 0;
  };
  for (let part = d.first; part < d.first + d.count; part++) {
    const pending: Array<[number, number]> = [];
    forEachBlock(d.spec, part, (start, end) => pending.push([start, end]));
    for (const [start, end] of pending) {
      blocks.push({ part, start, end });
      if (blocks.length >= BATCH_BLOCKS) await flush();
    }
  }
  await flush();
  return partials;
}

function firstBlockStart(d: PartJobData, part: number): number {
  return d.spec.start + part * d.spec.blockSize;
}

function combine(how: PartJobData["combine"], acc: number, v: number): number {
  return how === "sum" ? acc + v : how === "min" ? Math.min(acc, v) : Math.max(acc, v);
}

/** A trap's part in the sub-job (or batch item) as a part of the range job. */
function partOf(d: PartJobData, part: number): number {
  return d.spec.scheme === "block" && part < d.count ? d.first + part : d.first;
}

/**
 * Thrown when the pool's arena cannot give the coordinator's addresses: something of the pool's
 * own (a block it keeps, allocated by an earlier job) lies in the way. A fresh pool, reserved
 * before it runs anything, can (worker.ts starts one).
 */
export class ReservationError extends Error {
  override name = "ReservationError";
}

/** Reserves the coordinator's address range in the pool's arena and copies the inputs there. */
function placeInputs(pool: Pool, d: PartJobData, inputBytes: Uint8Array[]): void {
  let r = reservations.get(pool);
  if (!r || r.view.byteOffset + r.view.byteLength < d.memoryBytes) {
    if (r) pool.arena.free(r.view);
    reservations.delete(pool);
    const probe = pool.arena.alloc(Uint8Array, 64, 64, false);
    const from = probe.byteOffset;
    pool.arena.free(probe);
    // room for the coordinator's memory to grow by half before this must be done again
    const end = Math.min(pool.arena.maxBytes - (64 << 20), Math.ceil((d.memoryBytes * 1.5) / 65536) * 65536);
    const view = pool.arena.alloc(Uint8Array, Math.max(64, Math.max(end, d.memoryBytes) - from), 64, false);
    if (view.byteOffset !== from) {
      pool.arena.free(view);
      throw new ReservationError(`this worker's pool could not reserve the coordinator's addresses from byte ${from} to ${d.memoryBytes}`);
    }
    r = { view };
    reservations.set(pool, r);
  }
  const lowest = r.view.byteOffset;
  const regions = [...d.inputs.map((i) => ({ offset: i.offset, bytes: i.bytes })), ...d.outputs.map((o) => ({ offset: o.offset, bytes: o.bytesPerPart * d.spec.parts }))];
  for (const { offset, bytes } of regions) {
    if (offset < lowest || offset + bytes > d.memoryBytes) {
      throw new Error(`the job's memory region [${offset}, ${offset + bytes}) lies outside what this worker can give it ([${lowest}, ${d.memoryBytes})): ` +
        "the coordinator's pool and this worker's differ in their header (different wasm-mp versions?)");
    }
  }
  if (r.inputsOf === d.job) return;
  const memory = new Uint8Array(pool.memory.buffer);
  d.inputs.forEach((input, k) => memory.set(inputBytes[k]!, input.offset));
  r.inputsOf = d.job;
}

/** Frees a pool's reservation (before the pool closes, or when its memory is wanted back). */
export function releaseReservation(pool: Pool): void {
  const r = reservations.get(pool);
  if (r) pool.arena.free(r.view);
  reservations.delete(pool);
}
