/**
 * imap and imapUnordered: map's calls as async iterators, over any iterable — an array, a lazy
 * (even infinite) generator, an async iterable.
 *
 *   windows      an array is one window; any other iterable is pulled `lookAhead` items at a
 *                time (default 1024). A window is packed into shared memory and run as one map
 *                call (map.ts); the next window is pulled and started while the current one is
 *                yielded, so at most 2·lookAhead items are ever pulled ahead of the results the
 *                consumer has taken (Python's imap reads its whole input ahead, unbounded).
 *   order        imap: input order. imapUnordered: within a window, the order parts finish; the
 *                windows one after the other.
 *   errors       an item that throws: failFast true ends the call at once (the results before
 *                it, in order, are yielded first); failFast false runs every item, yields the
 *                results (imap: up to the first failed item) and then throws the first failed
 *                item's KernelError listing all of them. The iterable's own exception is thrown
 *                after every result of the items pulled before it.
 *   break        return() (a `break` out of the loop) cancels the parts not yet run of every
 *                window started, calls the iterable's return(), and ends once no worker touches
 *                the call's memory: the pool stays usable.
 *
 * Each window's call runs on its own whether or not the consumer pulls: once it has ended, the
 * results not yet yielded are copied out of shared memory and its memory is freed, so an
 * iterator dropped without return() keeps nothing of the pool but its pending windows.
 */
import { KernelError, invalid, type ItemFailure } from "../errors.js";
import type { TaskTrap } from "../platform/task.js";
import type { PoolHost as Pool } from "./host.js";
import { DEFAULT_LOOK_AHEAD, checkCall, failureOf, packItems, partEnd, partStart, run, shapeOf, type ItemShape, type MapOptions, type MapPlan, type PackedCall } from "./map.js";
import { progressOf } from "./progress.js";

/** One window's call, running on its own: parts reported as they finish, results copied out when it ends. */
class Window {
  /** Parts in the order they finished. */
  readonly finished: number[] = [];
  settled = false;
  /** How the call failed (a trap with failFast, an abort, a timeout, the pool closing). */
  error: unknown;
  /** failFast: false: the first failed item's error, listing the window's failed items. */
  itemFailure: KernelError | undefined;
  /** The results (and failed flags), in shared memory while the call runs, then a copy. */
  results: Float64Array;
  failed: Uint8Array | undefined;
  readonly done: Promise<void>;
  private wake: (() => void) | undefined;

  constructor(pool: Pool, readonly call: PackedCall, signal: AbortSignal) {
    this.results = call.results;
    this.failed = call.failed;
    const traps = new Map<number, TaskTrap>();
    this.done = pool.track(() => run(pool, call, (j) => { this.finished.push(j); this.notify(); }, signal, traps,
      () => failureOf(call, call.failed, traps),
      () => {
        this.results = call.results.slice();
        this.failed = call.failed?.slice();
      })).then(
      (failure) => { this.itemFailure = failure; },
      (e: unknown) => { this.error = e; },
    ).finally(() => {
      this.settled = true;
      this.notify();
    });
  }

  /** Resolves once more than `seen` parts have finished, or the call has settled. */
  changed(seen: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      if (this.settled || this.finished.length > seen) resolve();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Pulls items in windows from an iterable (sync or async). */
interface Source {
  /** Up to `n` items; `done` once the iterable has ended (or thrown: `error`, after the items before it). */
  pull(n: number): Promise<{ items: unknown[]; done: boolean; failed: boolean; error?: unknown }>;
  /** The iterable's return(), when it has not ended. */
  close(): Promise<void>;
}

function sourceOf(argsList: unknown): Source {
  const asyncFn = argsList !== null && typeof argsList === "object" ? (argsList as AsyncIterable<unknown>)[Symbol.asyncIterator] : undefined;
  const syncFn = argsList !== null && typeof argsList === "object" ? (argsList as Iterable<unknown>)[Symbol.iterator] : undefined;
  if (typeof asyncFn !== "function" && typeof syncFn !== "function") {
    throw invalid("argsList", argsList, "an array, an iterable or an async iterable of argument lists or numbers");
  }
  const it = typeof syncFn === "function" ? (syncFn as () => Iterator<unknown>).call(argsList) : (asyncFn as () => AsyncIterator<unknown>).call(argsList);
  let ended = false;
  return {
    async pull(n) {
      const items: unknown[] = [];
      try {
        while (items.length < n) {
          const r = await it.next();
          if (r.done) {
            ended = true;
            return { items, done: true, failed: false };
          }
          items.push(r.value);
        }
      } catch (error) {
        ended = true;
        return { items, done: true, failed: true, error };
      }
      return { items, done: false, failed: false };
    },
    async close() {
      if (ended) return;
      ended = true;
      try {
        await it.return?.();
      } catch {
        // the loop's own end (a break, an error) is what the caller hears about
      }
    },
  };
}

export async function* imapItems(pool: Pool, kernel: string, argsList: unknown, options: MapOptions, ordered: boolean): AsyncGenerator<number | [number, number], void, undefined> {
  const plan = checkCall(pool, kernel, options, "map");
  const whole = Array.isArray(argsList) ? argsList : undefined;
  const source = whole ? undefined : sourceOf(argsList);
  const size = plan.lookAhead ?? DEFAULT_LOOK_AHEAD;
  const stop = new AbortController();
  const userSignal = plan.call.signal;
  const onUserAbort = (): void => stop.abort(userSignal!.reason);
  userSignal?.addEventListener("abort", onUserAbort, { once: true });
  const deadline = plan.call.timeoutMs === undefined ? undefined : performance.now() + plan.call.timeoutMs;
  let shape: ItemShape | undefined;
  let pulled = 0;
  /** Items done over every window so far: windows overlap, so one may end after the next. */
  const progress = { done: 0 };
  let exhausted = false;
  let pullFailed = false;
  let pullError: unknown;
  const started: Window[] = [];

  /** Pulls, packs and starts the next window; undefined when the input has no more items. */
  const startNext = async (): Promise<Window | undefined> => {
    if (exhausted) return undefined;
    const { items, done, failed, error } = whole ? { items: whole, done: true, failed: false, error: undefined } : await source!.pull(size);
    if (done) exhausted = true;
    if (failed) {
      pullFailed = true;
      pullError = error;
    }
    if (items.length === 0 || stop.signal.aborted) return undefined;
    const call = packItems(pool, windowPlan(plan, progress, () => pulled, deadline), items, pulled, shape);
    shape ??= shapeOf(call, "map", items[0]);
    pulled += items.length;
    const w = new Window(pool, call, stop.signal);
    started.push(w);
    return w;
  };

  const failures: ItemFailure[] = [];
  let blocked = false;
  let next: Promise<Window | undefined> | undefined = startNext();
  next.catch(() => {}); // awaited below
  try {
    for (;;) {
      const current = await next;
      if (!current) break;
      next = exhausted ? undefined : startNext(); // the look-ahead: one window more, while this one is yielded
      next?.catch(() => {});
      const { call } = current;
      const partDone = new Uint8Array(call.parts);
      let nextOrdered = 0;
      let consumed = 0;
      for (;;) {
        while (consumed < current.finished.length) {
          const j = current.finished[consumed++]!;
          if (ordered) {
            partDone[j] = 1;
            for (; nextOrdered < call.parts && partDone[nextOrdered]; nextOrdered++) {
              for (let i = partStart(call, nextOrdered), end = partEnd(call, nextOrdered); i < end; i++) {
                // failFast: false: results in order up to the first failed item, then its error once every item has run
                if (blocked || current.failed?.[i]) { blocked = true; continue; }
                yield current.results[i]!;
              }
            }
          } else {
            for (let i = partStart(call, j), end = partEnd(call, j); i < end; i++) if (!current.failed?.[i]) yield [call.base + i, current.results[i]!];
          }
        }
        if (current.settled && consumed === current.finished.length) break;
        await current.changed(consumed);
      }
      if (current.error) throw current.error;
      if (current.itemFailure) failures.push(...current.itemFailure.failures!);
      if (!next) break;
    }
    if (pullFailed) throw pullError;
    if (failures.length) {
      const first = failures[0]!.error;
      first.failures = failures;
      throw first;
    }
  } finally {
    stop.abort();
    userSignal?.removeEventListener("abort", onUserAbort);
    await next?.catch(() => undefined);
    await Promise.all(started.map((w) => w.done));
    await source?.close();
  }
}

/**
 * A window's options: what is left of the call's timeout, and progress as the items done in
 * every window so far over the items pulled so far. Windows overlap (the next one runs while
 * this one is yielded) and may end in either order, so each adds what it did since its last
 * report to the shared count: reports never go back, and the last one counts every item.
 */
function windowPlan(plan: MapPlan, progress: { done: number }, pulled: () => number, deadline: number | undefined): MapPlan {
  const { onProgress } = plan.call;
  let windowDone = 0;
  return {
    ...plan,
    call: {
      ...plan.call,
      timeoutMs: deadline === undefined ? undefined : Math.max(1, deadline - performance.now()),
      onProgress: onProgress && ((p) => {
        progress.done += p.done - windowDone;
        windowDone = p.done;
        onProgress(progressOf(progress.done, Math.max(pulled(), progress.done)));
      }),
    },
  };
}
