/**
 * map, starmap, imap and imapUnordered: one kernel call per item, with Python's semantics.
 *
 *   map(kernel, items)       kernel(item) for a number (or a pool typed array), kernel(...item)
 *                            for an array; every item must have the same form and length.
 *   starmap(kernel, items)   every item is an array and is spread.
 *   results                  in input order (imapUnordered: in the order parts finish).
 *
 * Dispatch is per worker, not per item: the items' arguments go into one shared Float64Array
 * (item i's `arity` arguments at [i·arity, (i+1)·arity)), the results into another, and each
 * worker runs a single batch task that claims parts of `chunkSize` items until none are left
 * (task.ts). A hundred thousand tiny calls thus cost a few tasks, not a hundred thousand.
 */
import { invalid } from "../errors.js";
import { argValue, type KernelArg } from "./args.js";
import { runPartsJob, type JobHost } from "./parts-job.js";
import type { CallOptions } from "./pool.js";
import * as check from "../validate.js";

export interface MapOptions extends CallOptions {
  /** Items per part. Default: about 8 parts per worker, at most 16384 items per part. */
  chunkSize?: number;
  /** Workers to use, at most the pool's size. Default: all. */
  workers?: number;
  /** Milliseconds between progress reports. Default 100. */
  progressIntervalMs?: number;
}

/** What map needs from the pool besides running jobs. */
export interface MapHost extends JobHost {
  readonly size: number;
  readonly memory: WebAssembly.Memory;
  assertOpen(): void;
  assertKernel(name: unknown): asserts name is string;
}

const MAP_KEYS = ["chunkSize", "workers", "signal", "onProgress", "progressIntervalMs"];
export const MAX_MAP_CHUNK = 1 << 14;

/** A validated, packed call: arguments written into shared memory, ready to run. */
interface PackedCall {
  kernel: string;
  items: number;
  arity: number;
  chunkSize: number;
  parts: number;
  lanes: number;
  args: Float64Array;
  results: Float64Array;
  signal?: AbortSignal;
  onProgress?: CallOptions["onProgress"];
  progressIntervalMs?: number;
}

export async function mapItems(pool: MapHost, kernel: string, argsList: unknown, options: MapOptions, mode: "map" | "starmap"): Promise<number[]> {
  const call = pack(pool, kernel, argsList, options, mode);
  if (!call) return [];
  try {
    await run(pool, call, undefined);
    return toArray(call.results);
  } finally {
    release(pool, call);
  }
}

export async function* imapItems(pool: MapHost, kernel: string, argsList: unknown, options: MapOptions, ordered: boolean): AsyncGenerator<number | [number, number], void, undefined> {
  // the consumer may stop early (break): its own controller cancels the remaining parts
  const stop = new AbortController();
  const call = pack(pool, kernel, argsList, options, "map");
  if (!call) return;
  const userSignal = call.signal;
  const onUserAbort = (): void => stop.abort(userSignal!.reason);
  userSignal?.addEventListener("abort", onUserAbort, { once: true });
  const finished: number[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  let failure: unknown;
  const job = run(pool, { ...call, signal: stop.signal }, (j) => { finished.push(j); wake?.(); }).then(
    () => { settled = true; wake?.(); },
    (e: unknown) => { settled = true; failure = e; wake?.(); },
  );
  const partDone = new Uint8Array(call.parts);
  let nextOrdered = 0;
  let consumed = 0;
  try {
    for (;;) {
      while (consumed < finished.length) {
        const j = finished[consumed++]!;
        if (ordered) {
          partDone[j] = 1;
          for (; nextOrdered < call.parts && partDone[nextOrdered]; nextOrdered++) {
            for (const i of itemsOf(call, nextOrdered)) yield call.results[i]!;
          }
        } else {
          for (const i of itemsOf(call, j)) yield [i, call.results[i]!];
        }
      }
      if (settled && consumed === finished.length) break;
      await new Promise<void>((resolve) => { wake = resolve; if (settled || consumed < finished.length) resolve(); });
      wake = undefined;
    }
    if (failure) throw failure;
  } finally {
    if (!settled) stop.abort();
    await job;
    userSignal?.removeEventListener("abort", onUserAbort);
    release(pool, call);
  }
}

/** A plain loop in a function of its own: Array.from over a view of shared memory is several times slower. */
function toArray(view: Float64Array): number[] {
  const out = new Array<number>(view.length);
  for (let i = 0; i < view.length; i++) out[i] = view[i]!;
  return out;
}

function* itemsOf(call: PackedCall, part: number): Generator<number> {
  const end = Math.min(call.items, (part + 1) * call.chunkSize);
  for (let i = part * call.chunkSize; i < end; i++) yield i;
}

function run(pool: MapHost, call: PackedCall, onPartDone: ((part: number) => void) | undefined): Promise<void> {
  const { kernel, items, arity, chunkSize, parts, onProgress } = call;
  let itemsDone = 0;
  const countPart = (j: number): void => { itemsDone += Math.min(items, (j + 1) * chunkSize) - j * chunkSize; };
  return runPartsJob(pool, {
    kernel,
    parts,
    lanes: call.lanes,
    makeTask: (lane, control, retry) => ({
      kind: "batch", kernel, control, parts, lane, retry, items, chunkSize, arity,
      args: call.args.byteOffset, results: call.results.byteOffset,
    }),
    signal: call.signal,
    onPartDone: onPartDone || onProgress ? (j) => { countPart(j); onPartDone?.(j); } : undefined,
    onProgress: onProgress && (() => onProgress({ done: itemsDone, total: items, fraction: itemsDone / items })),
    progressIntervalMs: call.progressIntervalMs,
  }).then(() => onProgress?.({ done: items, total: items, fraction: 1 }));
}

/** Validates a call and writes its arguments into shared memory; undefined for no items. */
function pack(pool: MapHost, kernel: string, argsList: unknown, options: MapOptions, mode: "map" | "starmap"): PackedCall | undefined {
  pool.assertOpen();
  pool.assertKernel(kernel);
  if (typeof options !== "object" || options === null) throw invalid("options", options, "an options object");
  check.knownKeys(mode, options, MAP_KEYS);
  const workers = check.optionalInteger("workers", options.workers, 1, pool.size, pool.size);
  const onProgress = check.callback("onProgress", options.onProgress) as CallOptions["onProgress"];
  const signal = check.signal(options.signal);
  const progressIntervalMs = options.progressIntervalMs === undefined ? undefined : check.finite("progressIntervalMs", options.progressIntervalMs, { min: 0 });
  if (argsList === null || typeof argsList !== "object" || typeof (argsList as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw invalid("argsList", argsList, "an array (or iterable) of argument lists or numbers");
  }
  const list: unknown[] = Array.isArray(argsList) ? argsList : Array.from(argsList as Iterable<unknown>);
  const items = list.length;
  const chunkSize = options.chunkSize === undefined
    ? Math.max(1, Math.min(MAX_MAP_CHUNK, Math.ceil(items / (8 * workers))))
    : check.integer("chunkSize", options.chunkSize, 1, 2 ** 31 - 1);
  if (items === 0) return undefined;
  const spread = mode === "starmap" || Array.isArray(list[0]);
  const arity = spread ? checkTuple(list[0], 0, mode).length : 1;
  pool.arena.ensureCanAllocate(items * (arity + 1) * 8 + 256, `${mode}'s arguments and results (${items} items)`);
  const args = pool.arena.alloc(Float64Array, items * arity, 64, false);
  const results = pool.arena.alloc(Float64Array, items, 64, false);
  try {
    const memory = pool.memory;
    if (spread) {
      for (let i = 0; i < items; i++) {
        const tuple = checkTuple(list[i], i, mode);
        if (tuple.length !== arity) {
          throw invalid(`argsList[${i}]`, tuple, `a list of ${arity} arguments, like argsList[0] (every item takes the same number of arguments)`);
        }
        for (let k = 0; k < arity; k++) {
          const v = tuple[k];
          args[i * arity + k] = typeof v === "number" ? v : argValue(memory, v, `argsList[${i}][${k}]`);
        }
      }
    } else {
      for (let i = 0; i < items; i++) {
        const v = list[i];
        if (typeof v === "number") args[i] = v;
        else if (Array.isArray(v)) throw invalid(`argsList[${i}]`, v, "a number, like argsList[0] (items are all numbers or all argument lists)");
        else args[i] = argValue(memory, v, `argsList[${i}]`);
      }
    }
  } catch (e) {
    pool.arena.free(args);
    pool.arena.free(results);
    throw e;
  }
  const parts = Math.ceil(items / chunkSize);
  return { kernel, items, arity, chunkSize, parts, lanes: Math.min(workers, parts), args, results, signal, onProgress, progressIntervalMs };
}

function checkTuple(item: unknown, i: number, mode: "map" | "starmap"): readonly unknown[] {
  if (!Array.isArray(item)) {
    throw invalid(`argsList[${i}]`, item, mode === "starmap" ? "an array of arguments (starmap spreads every item)" : "an array of arguments, like argsList[0]");
  }
  return item;
}

function release(pool: MapHost, call: PackedCall): void {
  pool.arena.free(call.args);
  pool.arena.free(call.results);
}
