/**
 * Deadlines for tests of blocking primitives. A lost wake-up (an unlock without a notify, in JS
 * or in a kernel) leaves someone waiting forever; without a deadline the test hangs until
 * vitest's 60 s timeout and says only "timed out". These wait a few seconds at most and fail
 * with the names of those still waiting, so the report says who was left behind.
 */

/** A waiter still pending at its deadline. */
export class LeftWaitingError extends Error {
  override name = "LeftWaitingError";
  constructor(readonly waiting: string[], readonly ms: number) {
    super(`after ${ms} ms still waiting (a lost wake-up?): ${waiting.join("; ")}`);
  }
}

/** Default deadline: long enough for a loaded 2-core machine, far below vitest's 60 s. */
export const DEADLINE_MS = 5_000;

/**
 * Resolves with each waiter's value once all settle; rejects with the first rejection, or with
 * a LeftWaitingError naming every waiter still pending after `ms`.
 */
export async function allWithin<T extends Record<string, Promise<unknown>>>(
  waiters: T, ms = DEADLINE_MS,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const pending = new Set(Object.keys(waiters));
  const tracked = Object.entries(waiters).map(([name, p]) => p.then(
    (v) => { pending.delete(name); return [name, v] as const; },
    (e) => { pending.delete(name); throw e; },
  ));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LeftWaitingError([...pending], ms)), ms);
  });
  try {
    const settled = await Promise.race([Promise.all(tracked), timeout]);
    return Object.fromEntries(settled) as { [K in keyof T]: Awaited<T[K]> };
  } finally {
    clearTimeout(timer);
  }
}

/** One waiter: `who` says who waits for what, e.g. "consumer 2 in getAsync on an empty queue". */
export async function within<T>(work: Promise<T>, who: string, ms = DEADLINE_MS): Promise<T> {
  return (await allWithin({ [who]: work }, ms))[who] as T;
}

/** Rejects with a LeftWaitingError naming `who` unless `condition()` holds within `ms` (polled). */
export async function until(condition: () => boolean, who: string, ms = DEADLINE_MS, pollMs = 2): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > ms) throw new LeftWaitingError([who], ms);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
