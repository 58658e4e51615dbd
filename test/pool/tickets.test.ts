/**
 * The pool's ticket words and control blocks (src/pool/tickets.ts, placement.ts, job.ts): taken
 * back after every call, never written outside their own block, and a queued job cancelled
 * through its tickets rejects at once. Checks written for mutants the other pool tests let
 * through (docs/testing.md). The only worker is kept busy by a kernel asleep on a mutex the test
 * holds, so "queued" and "running" are certain, not a matter of timing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, PoolClosedError, createPool, type Pool } from "../../dist/index.js";
import { Mutex } from "../../dist/sync-entry.js";
import { until, within } from "../helpers/deadline.js";
import { SYNC_DEMOS } from "../sync/fixture.js";

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 1, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

/** Starts a kernel that sleeps on a mutex the test holds: the pool's only worker is then busy until `release()`. */
async function occupy(p: Pool): Promise<{ release: () => void; done: Promise<unknown> }> {
  const mutex = Mutex.create(p);
  const counter = p.alloc(Int32Array, 1);
  mutex.tryLock();
  const done = p.apply("syncDemoLockedIncrements", [counter, mutex, 1, 0]);
  await until(() => Atomics.load(mutex.words, 0) === 2, "the blocking kernel, to sleep on the mutex");
  return { release: () => mutex.unlock(), done };
}

describe("ticket words and control blocks", () => {
  it("are taken back after each call: 2100 applies and a few maps leave the memory in use as it was", async () => {
    const counter = pool.alloc(Int32Array, 1);
    await pool.apply("syncDemoAtomicIncrements", [counter, 1]); // the first call allocates the ring's first block
    const before = pool.arena.allocatedBytes;
    // more calls than one block of 1024 tickets holds
    for (let i = 0; i < 2100; i++) await pool.apply("syncDemoAtomicIncrements", [counter, 1]);
    expect(counter[0]).toBe(2101);
    expect(pool.arena.allocatedBytes).toBe(before);
    // a map's parts job has a control block, freed when it ends
    for (let i = 0; i < 3; i++) {
      const out = await pool.map("syncDemoAtomicIncrements", Array.from({ length: 20 }, () => [counter, 2]), { chunkSize: 3 });
      expect(out).toHaveLength(20);
    }
    expect(counter[0]).toBe(2101 + 3 * 40);
    expect(pool.arena.allocatedBytes).toBe(before);
  });

  it("are never written outside their block: an array allocated before the first call keeps its values", async () => {
    const fresh = await createPool({ workers: 1, module: SYNC_DEMOS, warmUp: false });
    try {
      const mine = fresh.alloc(Int32Array, 4096).fill(7);
      const counter = fresh.alloc(Int32Array, 1);
      // at once: 50 tickets taken before any is given back (one after another, they reuse one word)
      await Promise.all(Array.from({ length: 50 }, () => fresh.apply("syncDemoAtomicIncrements", [counter, 1])));
      await fresh.map("syncDemoAtomicIncrements", Array.from({ length: 10 }, () => [counter, 1]), { chunkSize: 1 });
      expect(counter[0]).toBe(60);
      expect(mine.every((v) => v === 7)).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});

describe("a queued job cancelled through its tickets", () => {
  it("a map waiting behind a busy worker rejects at once on abort, and never runs", async () => {
    const busy = await occupy(pool);
    let released = false;
    try {
      const counter = pool.alloc(Int32Array, 1);
      const controller = new AbortController();
      const queued = pool.map("syncDemoAtomicIncrements", [[counter, 1], [counter, 1]], { signal: controller.signal });
      queued.catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
      controller.abort();
      // the worker is still asleep in the other kernel: only the cancelled tickets can end the map
      const e = await within(queued.catch((x: unknown) => x), "the queued map to reject on abort while the worker is busy", 10_000);
      expect(e).toBeInstanceOf(AbortError);
      busy.release();
      released = true;
      await within(busy.done, "the blocking kernel, once released");
      await within(pool.apply("syncDemoAtomicIncrements", [counter, 0]), "a call after the cancelled map");
      expect(counter[0]).toBe(0); // the cancelled map's kernels never ran
    } finally {
      if (!released) busy.release();
    }
  });
});

describe("a queued apply cancelled through its ticket", () => {
  it("rejects at once on abort and its kernel never runs, also once the worker is free", async () => {
    const busy = await occupy(pool);
    let released = false;
    try {
      const counter = pool.alloc(Int32Array, 1);
      const controller = new AbortController();
      const queued = pool.apply("syncDemoAtomicIncrements", [counter, 1], { signal: controller.signal });
      queued.catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
      controller.abort();
      expect(await within(queued.catch((x: unknown) => x), "the queued apply to reject on abort", 10_000)).toBeInstanceOf(AbortError);
      busy.release();
      released = true;
      await within(busy.done, "the blocking kernel, once released");
      // the worker reaches the cancelled task's ticket next: it must skip the task
      await within(pool.apply("syncDemoAtomicIncrements", [counter, 0]), "a call after the cancelled apply");
      expect(counter[0]).toBe(0);
    } finally {
      if (!released) busy.release();
    }
  });
});

describe("terminate() under a running kernel", () => {
  it("rejects its call with a PoolClosedError naming the kernel, whose cause is the worker's end", async () => {
    const doomed = await createPool({ workers: 1, module: SYNC_DEMOS, warmUp: false });
    const mutex = Mutex.create(doomed);
    mutex.tryLock();
    const call = doomed.apply("syncDemoLockedIncrements", [doomed.alloc(Int32Array, 1), mutex, 1, 0]);
    call.catch(() => {});
    await until(() => Atomics.load(mutex.words, 0) === 2, "the kernel, to sleep on the mutex");
    await doomed.terminate();
    const e = await within(call.catch((x: unknown) => x), "the call of a terminated pool to reject");
    expect(e).toBeInstanceOf(PoolClosedError);
    expect((e as Error).message).toBe("the pool was terminated while kernel syncDemoLockedIncrements was running");
    expect((e as Error).cause).toBeDefined();
  });
});
