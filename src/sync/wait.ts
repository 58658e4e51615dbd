/**
 * Every wait of the primitives is written once, as a wait loop: a generator that checks the
 * shared words and, when it must sleep, yields the sleep it needs (a word, the value to sleep
 * on, a time limit) and gets back how the sleep ended. Two drivers run a loop:
 *
 *   block(loop)   Atomics.wait: worker threads (and Node's main thread, which it stalls)
 *   drive(loop)   Atomics.waitAsync: the main thread; a promise
 *
 * so a blocking `get()` and an async `getAsync()` are the same code. Loops treat every wake-up
 * as possibly spurious and check their condition again, which is what lets drive() fall back
 * to polling where an engine lacks Atomics.waitAsync.
 */
import { invalid } from "../errors.js";
import { isSharedBuffer } from "../memory/arena.js";

export type WaitResult = "ok" | "not-equal" | "timed-out";

/** A sleep a wait loop asks for: on words[index] while it holds `value`, at most `timeoutMs`. */
export interface Sleep {
  words: Int32Array;
  index: number;
  value: number;
  timeoutMs: number;
}

export type WaitLoop<T> = Generator<Sleep, T, WaitResult>;

export function sleepOn(words: Int32Array, index: number, value: number, timeoutMs: number): Sleep {
  return { words, index, value, timeoutMs };
}

/** Runs a wait loop in this thread, sleeping with Atomics.wait. */
export function block<T>(loop: WaitLoop<T>): T {
  for (let step = loop.next("ok"); ;) {
    if (step.done) return step.value;
    const s = step.value;
    step = loop.next(Atomics.wait(s.words, s.index, s.value, s.timeoutMs));
  }
}

/**
 * One main-thread sleep while words[index] holds `value` (at most timeoutMs): for callers that
 * re-check their own condition after it, through drive's one fallback.
 */
export async function sleepAsyncOn(words: Int32Array, index: number, value: number, timeoutMs = Infinity): Promise<void> {
  await drive((function* () { yield sleepOn(words, index, value, timeoutMs); })());
}

/** Runs a wait loop without blocking the thread: each sleep is an Atomics.waitAsync. */
export async function drive<T>(loop: WaitLoop<T>): Promise<T> {
  let polls = 0;
  for (let step = loop.next("ok"); ;) {
    if (step.done) return step.value;
    const s = step.value;
    step = loop.next(await sleepAsync(s, polls++));
  }
}

/**
 * One asynchronous sleep. Atomics.waitAsync does not keep Node's event loop alive, so a script
 * whose only pending work is a wait with a timeout would exit (code 13, an unsettled top-level
 * await) before the timeout: a ref'd interval is held until the sleep ends. An interval, not one
 * timer of the sleep's length: Node dates a timer from the event loop's cached clock, which
 * under load lags the clock waitAsync's timeout runs on, so such a timer could fire (and leave
 * the loop empty) just before the wait timed out (2 exits in 100 loaded runs of
 * test/sync/fixtures/async-waits.mjs); and a timer longer than 2³¹ − 1 ms fires after 1 ms.
 */
async function sleepAsync(s: Sleep, polls: number): Promise<WaitResult> {
  const waitAsync = (Atomics as { waitAsync?: typeof Atomics.waitAsync }).waitAsync;
  if (typeof waitAsync !== "function") return pollSleep(s, polls);
  const r = waitAsync(s.words, s.index, s.value, s.timeoutMs);
  if (!r.async) return r.value;
  const keepAlive = s.timeoutMs === Infinity ? undefined : setInterval(noop, Math.min(s.timeoutMs + 1, TIMER_MAX_MS));
  try {
    return await r.value;
  } finally {
    clearInterval(keepAlive);
  }
}

/** The longest delay Node's timers take (a longer one fires after 1 ms). */
const TIMER_MAX_MS = 2 ** 31 - 1;

const noop = (): void => {};

/**
 * The one fallback for engines without Atomics.waitAsync (some Firefox and Safari versions):
 * a timer, 0, 1, 2, 4 … up to 16 ms, then "ok" (a spurious wake-up the loop tolerates) or
 * "timed-out". A wake-up that changes nothing (a notify without a store) is seen at the next
 * poll at the latest, as every loop re-checks its words after each sleep.
 */
async function pollSleep(s: Sleep, polls: number): Promise<WaitResult> {
  if (Atomics.load(s.words, s.index) !== s.value) return "not-equal";
  const slice = Math.min(polls === 0 ? 0 : 2 ** (polls - 1), 16);
  const ms = Math.min(slice, s.timeoutMs);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms === s.timeoutMs && Atomics.load(s.words, s.index) === s.value ? "timed-out" : "ok";
}

/** Checks a timeout in ms (Infinity: none). Cheap: it runs before every fast path. */
export function checkTimeout(timeoutMs: unknown): void {
  if (!(typeof timeoutMs === "number" && timeoutMs >= 0)) {
    throw invalid("timeoutMs", timeoutMs, "a number of milliseconds, 0 or more (Infinity: no limit)");
  }
}

/** A deadline from a timeout in ms (Infinity: none); checks the argument. */
export function deadlineOf(timeoutMs: unknown): number {
  checkTimeout(timeoutMs);
  return timeoutMs === Infinity ? Infinity : performance.now() + (timeoutMs as number);
}

export function remaining(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

/** Checks that `words` is an Int32Array of at least `length` words on shared memory. */
export function checkWords(words: unknown, length: number, what: string): Int32Array {
  if (!(words instanceof Int32Array) || words.length < length || !isSharedBuffer(words.buffer)) {
    throw invalid("words", words, `an Int32Array of at least ${length} words on shared memory (e.g. pool.alloc(Int32Array, ${length})) for a ${what}`);
  }
  return words;
}

/** A pool, or anything that hands out Int32Arrays on shared memory. */
export interface Allocator {
  alloc(type: Int32ArrayConstructor, length: number): Int32Array;
}

/**
 * The words of a new primitive, from `pool`. A Cluster is refused: its alloc hands out the
 * coordinator's memory, which the other machines never see, so a primitive there would
 * synchronize nothing across the cluster.
 */
export function allocWords(pool: Allocator, length: number, what: string): Int32Array {
  if (typeof pool !== "object" || pool === null || typeof (pool as { alloc?: unknown }).alloc !== "function") {
    throw invalid("pool", pool, `a Pool from createPool() (or anything with alloc(Int32Array, n) on shared memory) to hold the ${what}`);
  }
  if ((pool as { kind?: unknown }).kind === "cluster") {
    throw invalid("pool", pool, `a Pool from createPool(): a ${what} lives in one machine's shared memory, which a Cluster's other machines cannot see`);
  }
  return pool.alloc(Int32Array, length);
}
