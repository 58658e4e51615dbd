/**
 * Aborting an apply while its kernel is running (docs/pool.md: the call rejects at once, the
 * kernel runs to its end unobserved, the pool stays usable). documented.test.ts aborts a long
 * kernel 10 ms in, which on a loaded machine may come before the worker has started it (then the
 * queued task is cancelled instead, and a call that waited for a running kernel would pass too).
 * Here the kernel is provably running: it sleeps on a mutex the test holds, so the call can only
 * end early by rejecting, and the kernel can only finish once the test lets it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, createPool, type Pool } from "../../dist/index.js";
import { Mutex } from "../../dist/sync-entry.js";
import { until, within } from "../helpers/deadline.js";
import { SYNC_DEMOS } from "../sync/fixture.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 1, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

describe("apply aborted while its kernel runs", () => {
  it("rejects with the AbortError before the kernel returns; the kernel then finishes and the worker takes the next call", async () => {
    const mutex = Mutex.create(pool);
    const counter = pool.alloc(Int32Array, 1);
    expect(mutex.tryLock()).toBe(true);
    let held = true;
    try {
      const controller = new AbortController();
      // one locked increment: the kernel blocks in mutexLock until the test unlocks
      const call = pool.apply("syncDemoLockedIncrements", [counter, mutex, 1, 0], { signal: controller.signal });
      call.catch(() => {});
      // the mutex word goes from 1 (locked) to 2 (locked, a sleeper) once the kernel is in mutexLock
      await until(() => Atomics.load(mutex.words, 0) === 2, "the kernel, to sleep on the mutex");
      const reason = new Error("stop now");
      controller.abort(reason);
      const e = await within(call.catch((x: unknown) => x), "the aborted apply to reject while its kernel still waits", 10_000);
      expect(e).toBeInstanceOf(AbortError);
      expect((e as AbortError).reason).toBe(reason);
      expect(counter[0]).toBe(0); // the kernel has not got past the lock: the rejection did not wait for it
      mutex.unlock();
      held = false;
      // the kernel runs to its end; the next call runs after it on the pool's only worker
      const other = pool.alloc(Int32Array, 1);
      await within(pool.apply("syncDemoAtomicIncrements", [other, 5]), "an apply after the aborted one");
      expect(other[0]).toBe(5);
      expect(counter[0]).toBe(1); // the aborted call's kernel did finish its increment
      expect(mutex.isLocked).toBe(false);
    } finally {
      if (held) mutex.unlock(); // a failed check must not leave the kernel (and close()) waiting
    }
  });
});
