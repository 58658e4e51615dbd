/**
 * Sleeping on a word of shared memory, in the two forms the primitives need: blocking
 * (Atomics.wait: worker threads; Node's main thread allows it but then stalls its event loop)
 * and asynchronous (Atomics.waitAsync: the main thread).
 */
import { invalid } from "../errors.js";
import { isSharedBuffer } from "../memory/arena.js";

export type WaitResult = "ok" | "not-equal" | "timed-out";

export function sleep(words: Int32Array, index: number, value: number, timeoutMs: number): WaitResult {
  return Atomics.wait(words, index, value, timeoutMs);
}

export async function sleepAsync(words: Int32Array, index: number, value: number, timeoutMs: number): Promise<WaitResult> {
  const r = Atomics.waitAsync(words, index, value, timeoutMs);
  return r.async ? await r.value : r.value;
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
