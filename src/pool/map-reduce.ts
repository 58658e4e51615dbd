/**
 * mapReduce(kernel, range, { partition, chunkSize, reduce }): the kernel is called as
 * kernel(blockStart, blockEnd, ...args) for every block of a partition of [start, end) and
 * returns one number per block; blocks are combined within a part, and parts in part order.
 * Part boundaries depend on the range and the chunk size only, so a reduction has the same
 * bits for any worker count. A function reducer runs in the calling thread, so it needs one
 * block per part: partition "block".
 */
import { invalid } from "../errors.js";
import { MAX_BLOCK, MAX_INDEX, partition, type PartitionScheme } from "../plan/partition.js";
import { reduce, type Reducer } from "../plan/reduce.js";
import * as check from "../validate.js";
import { argValues, type KernelArg } from "./args.js";
import type { CallOptions, RangeJob } from "./call-types.js";
import { callOptions, checkArity } from "./call-options.js";
import { runRange } from "./calls.js";
import type { PoolHost as Pool } from "./host.js";
import type { Progress } from "./progress.js";

/** [start, end) as a pair or an object. */
export type RangeInput = readonly [number, number] | { start: number; end: number };

export interface MapReduceOptions extends CallOptions {
  /** "block" (default), "cyclic" or "block-cyclic". */
  partition?: PartitionScheme;
  /** Indices per block. Default: automatic from the range's length (never from the worker count). */
  chunkSize?: number;
  /** Parts, for cyclic and block-cyclic. Default: the number of blocks, at most 64. */
  parts?: number;
  /** "sum" (default), "min", "max", or (acc, value, partIndex) => acc. */
  reduce?: Reducer;
  /** Kernel arguments after (blockStart, blockEnd). */
  args?: readonly KernelArg[];
  /** Workers to use, at most the pool's size. Default: all. */
  workers?: number;
}

const KEYS = ["partition", "chunkSize", "parts", "reduce", "args", "workers"];

export async function mapReduce(pool: Pool, kernel: string, range: RangeInput, options: MapReduceOptions): Promise<number> {
  const { job, reducer } = planMapReduce(pool, kernel, range, options);
  const run = await runRange(pool, job);
  return reduce(run.partials, reducer);
}

/** What mapReduce plans before running, for a pool or a cluster (src/cluster/): the range job and the reducer. */
export type MapReducePlanHost = Pick<Pool, "size" | "arena" | "inline" | "assertKernel">;

/** Checks mapReduce's arguments and plans its range job; the caller runs it and reduces its partials in part order. */
export function planMapReduce(pool: MapReducePlanHost, kernel: string, range: RangeInput, options: MapReduceOptions): { job: RangeJob; reducer: Reducer } {
  pool.assertKernel(kernel);
  const { options: o, call } = callOptions<MapReduceOptions, Progress>("mapReduce", options, KEYS);
  options = o;
  const [start, end] = checkRange(range);
  const scheme = options.partition === undefined ? "block" : check.oneOf("partition", options.partition, ["block", "cyclic", "block-cyclic"] as const);
  const chunkSize = options.chunkSize === undefined ? undefined
    : check.integer("chunkSize", options.chunkSize, 1, MAX_BLOCK); // one call per block: an abort waits for one call
  const parts = options.parts === undefined ? undefined : check.integer("parts", options.parts, 1, 1 << 24);
  const reducer = options.reduce ?? "sum";
  if (typeof reducer !== "function") check.oneOf("reduce", reducer, ["sum", "min", "max"] as const);
  else if (scheme !== "block") throw invalid("reduce", "a function", `"sum", "min" or "max" with partition ${JSON.stringify(scheme)} (a function reducer needs partition "block": one block per part)`);
  if (typeof reducer === "function" && end === start) throw invalid("range", [start, end], "a non-empty range when reduce is a function");
  const workers = check.optionalInteger("workers", options.workers, 1, pool.size, pool.size);
  const args = argValues(pool.arena, options.args, "args");
  checkArity(pool.inline.exports[kernel], kernel, args.length, "args", ["blockStart", "blockEnd"]);

  const spec = partition(start, end, { scheme, chunkSize, parts, maxChunk: MAX_BLOCK });
  return {
    job: { kernel, args, spec, workers, combine: typeof reducer === "function" ? "sum" : reducer, ...call },
    reducer,
  };
}

function checkRange(range: unknown): [number, number] {
  const pair = Array.isArray(range) ? range : range !== null && typeof range === "object" ? [(range as { start: unknown }).start, (range as { end: unknown }).end] : undefined;
  const allowed = `[start, end] or { start, end }: integers from -2^53 to 2^53 with start <= end`;
  if (!pair || pair.length !== 2) throw invalid("range", range, allowed);
  const [start, end] = pair as [unknown, unknown];
  if (typeof start !== "number" || typeof end !== "number" || !Number.isInteger(start) || !Number.isInteger(end) ||
      Math.abs(start) > MAX_INDEX || Math.abs(end) > MAX_INDEX || start > end) {
    throw invalid("range", range, allowed);
  }
  return [start, end];
}
