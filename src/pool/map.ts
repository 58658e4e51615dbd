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
import { KernelError, invalid, type ItemFailure } from "../errors.js";
import type { TaskTrap } from "../platform/task.js";
import * as check from "../validate.js";
import { type KernelArg } from "./args.js";
import { checkArgumentList, itemAt, itemName, packInto } from "./item-packing.js";
import type { CallOptions } from "./call-types.js";
import { callOptions, checkArity, type CheckedCallOptions } from "./call-options.js";
import { kernelError, runJob } from "./job.js";
import { partsJob } from "./jobs/parts.js";
import { place } from "./placement.js";
import type { PoolHost as Pool } from "./host.js";
import { progressOf, type Progress } from "./progress.js";

export interface MapOptions extends CallOptions {
  /** Items per part. Default: about 8 parts per worker, at most 16384 items per part. */
  chunkSize?: number;
  /** Workers to use, at most the pool's size. Default: all. */
  workers?: number;
  /**
   * true (default): the first item that throws ends the call (its other parts stop at their next
   * check) and the call rejects with that item's KernelError. false: every item runs; then, if
   * any threw, the call rejects with the KernelError of the first failed item in item order, its
   * `failures` listing every failed item (index and error) in item order (Python's map).
   */
  failFast?: boolean;
  /**
   * imap and imapUnordered over an iterable that is not an array (a generator, an async
   * iterable): items pulled per window. A window is packed and run as one call, and the next one
   * is pulled while it runs, so at most 2·lookAhead items are pulled ahead of the results
   * yielded. Default 1024. Arrays are one window.
   */
  lookAhead?: number;
}

const MAP_KEYS = ["chunkSize", "workers", "failFast", "lookAhead"];
export const DEFAULT_LOOK_AHEAD = 1024;
export const MAX_LOOK_AHEAD = 1 << 24;
export const MAX_MAP_CHUNK = 1 << 14;

/** A call's checked options, before any item is packed. */
export interface MapPlan {
  kernel: string;
  mode: "map" | "starmap";
  workers: number;
  /** As given; undefined: from the item count. */
  chunkSize: number | undefined;
  failFast: boolean;
  lookAhead: number | undefined;
  call: CheckedCallOptions<Progress>;
}

/** What every item of a call must look like (set by the first item). */
export interface ItemShape { spread: boolean; arity: number }

/** A validated, packed call: arguments written into shared memory, ready to run. */
export interface PackedCall {
  kernel: string;
  /** Index of this call's first item in the input (imap's windows). */
  base: number;
  items: number;
  arity: number;
  chunkSize: number;
  parts: number;
  lanes: number;
  args: Float64Array;
  results: Float64Array;
  /** failFast: false: one byte per item, 1 where the item threw (written by the workers). */
  failed: Uint8Array | undefined;
  call: CheckedCallOptions<Progress>;
}

export async function mapItems(pool: Pool, kernel: string, argsList: unknown, options: MapOptions, mode: "map" | "starmap"): Promise<number[]> {
  return mapPlanned(pool, checkCall(pool, kernel, options, mode), argsList);
}

/** map or starmap of a checked plan: the route of every map, the pool's own warm-up's included (path-warm-up.ts). */
export async function mapPlanned(pool: Pool, plan: MapPlan, argsList: unknown): Promise<number[]> {
  const list = itemList(argsList);
  const call = list.length === 0 ? undefined : packItems(pool, plan, list, 0, undefined);
  if (!call) return [];
  const traps = new Map<number, TaskTrap>();
  return run(pool, call, undefined, call.call.signal, traps, () => {
    const failure = failureOf(call, call.failed, traps);
    if (failure) throw failure;
    return toArray(call.results);
  }, undefined);
}

/** A plain loop in a function of its own: Array.from over a view of shared memory is several times slower. */
export function toArray(view: Float64Array): number[] {
  const out = new Array<number>(view.length);
  for (let i = 0; i < view.length; i++) out[i] = view[i]!;
  return out;
}

/** The first item of part j (a window's index). */
export function partStart(call: PackedCall, part: number): number {
  return part * call.chunkSize;
}

/** One past the last item of part j. */
export function partEnd(call: PackedCall, part: number): number {
  return Math.min(call.items, (part + 1) * call.chunkSize);
}

/**
 * Runs a packed call. `collect` makes the result once every part is done; `beforeRelease` runs
 * when no lane can write the results any more, just before the job's memory is freed.
 */
export function run<R>(pool: Pool, call: PackedCall, onPartDone: ((part: number) => void) | undefined, signal: AbortSignal | undefined,
  traps: Map<number, TaskTrap>, collect: () => R, beforeRelease: (() => void) | undefined): Promise<R> {
  const { kernel, items, arity, chunkSize, parts } = call;
  let itemsDone = 0;
  const countPart = (j: number): void => { itemsDone += Math.min(items, (j + 1) * chunkSize) - j * chunkSize; };
  const placement = place(pool);
  return runJob(placement, partsJob<R, Progress>({
    kernel,
    parts,
    lanes: placement.kind === "inline" ? 1 : call.lanes,
    task: (ref, retry) => ({
      kind: "batch", kernel, retry, items, chunkSize, arity, args: call.args.byteOffset, results: call.results.byteOffset, ...ref,
      ...(call.failed ? { failed: call.failed.byteOffset } : {}),
      ...(call.base ? { firstItem: call.base } : {}),
    }),
    accept: call.failed ? (result) => {
      for (const trap of (result && "failures" in result && result.failures) || []) traps.set(trap.part, trap);
    } : undefined,
    onPartDone: onPartDone || call.call.onProgress ? (j) => { countPart(j); onPartDone?.(j); } : undefined,
    progress: () => progressOf(itemsDone, items),
    result: collect,
    release: () => {
      beforeRelease?.();
      release(pool, call);
    },
  }), { ...call.call, signal });
}

/** Checks a call's kernel and options, before any item is read. */
export function checkCall(pool: Pool, kernel: string, options: MapOptions, mode: "map" | "starmap"): MapPlan {
  pool.assertOpen();
  pool.assertKernel(kernel);
  return mapPlan(pool, kernel, options, mode);
}

/**
 * The plan of a map over `kernel`, its options checked. The pool's path warm-up builds its plans
 * here too: a plan of another shape (an object literal of its own) cost the user's first map a
 * deopt of packItems (V8: "wrong map") and a recompile in the middle of it.
 */
export function mapPlan(pool: Pool, kernel: string, options: MapOptions, mode: "map" | "starmap"): MapPlan {
  const { options: o, call } = callOptions<MapOptions, Progress>(mode, options, MAP_KEYS);
  const workers = check.optionalInteger("workers", o.workers, 1, pool.size, pool.size);
  const failFast = check.optionalBoolean("failFast", o.failFast, true);
  const chunkSize = o.chunkSize === undefined ? undefined : check.integer("chunkSize", o.chunkSize, 1, 2 ** 31 - 1);
  const lookAhead = o.lookAhead === undefined ? undefined : check.integer("lookAhead", o.lookAhead, 1, MAX_LOOK_AHEAD);
  return { kernel, mode, workers, chunkSize, failFast, lookAhead, call };
}

/** `argsList` as an array (map reads every item before it starts). */
function itemList(argsList: unknown): readonly unknown[] {
  if (Array.isArray(argsList)) return argsList;
  if (argsList === null || typeof argsList !== "object" || typeof (argsList as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw invalid("argsList", argsList, "an array (or iterable) of argument lists or numbers");
  }
  return Array.from(argsList as Iterable<unknown>);
}

/**
 * Writes the arguments of `list` (items base … base + list.length − 1 of the input) into shared
 * memory. `shape`: what earlier windows' items looked like (every item of a call has one form).
 */
export function packItems(pool: Pool, plan: MapPlan, list: readonly unknown[], base: number, shape: ItemShape | undefined): PackedCall {
  const { kernel, mode, workers } = plan;
  const items = list.length;
  const chunkSize = plan.chunkSize ?? Math.max(1, Math.min(MAX_MAP_CHUNK, Math.ceil(items / (8 * workers))));
  // the first item through itemAt, not list[0]: item-packing.ts says why
  const first = itemAt(list, 0);
  const spread = shape ? shape.spread : mode === "starmap" || Array.isArray(first);
  const arity = shape ? shape.arity : spread ? checkArgumentList(first, 0, { mode, base }).length : 1;
  if (!shape) checkArity(pool.inline.exports[kernel], kernel, arity, itemName(0, { base }));
  pool.arena.ensureCanAllocate(items * (arity + 1) * 8 + 256, `${mode}'s arguments and results (${items} items)`);
  const args = pool.arena.alloc(Float64Array, items * arity, 64, false);
  const results = pool.arena.alloc(Float64Array, items, 64, false);
  const failed = plan.failFast ? undefined : pool.arena.alloc(Uint8Array, items);
  try {
    packInto(list, args, { spread, arity, mode, base }, pool.arena);
  } catch (e) {
    pool.arena.free(args);
    pool.arena.free(results);
    if (failed) pool.arena.free(failed);
    throw e;
  }
  const parts = Math.ceil(items / chunkSize);
  return { kernel, base, items, arity, chunkSize, parts, lanes: Math.min(workers, parts), args, results, failed, call: plan.call };
}

/** The shape every later item must have. */
export function shapeOf(call: PackedCall, mode: "map" | "starmap", first: unknown): ItemShape {
  return { spread: mode === "starmap" || Array.isArray(first), arity: call.arity };
}

function release(pool: Pool, call: PackedCall): void {
  pool.arena.free(call.args);
  pool.arena.free(call.results);
  if (call.failed) pool.arena.free(call.failed);
}

/**
 * failFast: false: the KernelError of the first failed item (item order), listing every failed
 * item; undefined when none failed. The flags in shared memory say which items failed, the lanes'
 * results why; an item whose worker died after it threw has a flag and no reason, and says so.
 */
export function failureOf(call: PackedCall, failed: Uint8Array | undefined, traps: ReadonlyMap<number, TaskTrap>): KernelError | undefined {
  if (!failed) return undefined;
  const failures: ItemFailure[] = [];
  for (let i = 0; i < call.items; i++) {
    if (!failed[i]) continue;
    const part = Math.floor(i / call.chunkSize);
    const trap = traps.get(i);
    const index = call.base + i;
    failures.push({ index, error: trap ? kernelError(call.kernel, { ...trap, part }) : new KernelError(call.kernel, part, `item ${index} threw in a worker that died before it could say why`) });
  }
  if (failures.length === 0) return undefined;
  const first = failures[0]!.error;
  first.failures = failures;
  return first;
}
