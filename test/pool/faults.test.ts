/**
 * Faults: kernel traps, workers that die (process.exit in the worker, an uncaught exception),
 * and close() while kernels run. The kernels are test/pool/fixtures/faults.ts; `crash` ends
 * the worker thread through the pool's hostImports (fixtures/crash-host.mjs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, KernelError, PoolClosedError, WorkerError, type Pool } from "../../dist/index.js";
import { Queue } from "../../dist/sync-entry.js";
import { SYNC_DEMOS } from "../sync/fixture.js";
import { CRASH_HOST, compileFaults } from "../helpers/asc.js";

const EXIT = 0;
const UNCAUGHT = 1;

let pool: Pool;
let flag: Int32Array;
beforeAll(async () => {
  pool = await createPool({ workers: 2, module: compileFaults(), hostImports: CRASH_HOST });
  flag = pool.alloc(Int32Array, 1);
});
afterAll(async () => { await pool.close(); });

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Waits until at least `started` workers have signalled ready and the pool again runs as many
 * live, ready workers as its size (replacements start in the background).
 */
async function replaced(p: Pool, started: number): Promise<void> {
  const done = (): boolean => p.stats().workersStarted >= started && p.stats().perWorker.filter((w) => w.alive).length === p.size;
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(p.stats().workersStarted).toBeGreaterThanOrEqual(started);
  expect(p.stats().perWorker.filter((w) => w.alive).length).toBe(p.size);
}

describe("a kernel trap", () => {
  it("rejects the call with a KernelError naming the kernel, the part, the trap and the item", async () => {
    const call = pool.map("trapAt", range(100).map((x) => [x, 55]), { chunkSize: 10 });
    await expect(call).rejects.toThrow(KernelError);
    await expect(pool.map("trapAt", range(100).map((x) => [x, 55]), { chunkSize: 10 }))
      .rejects.toThrow("kernel trapAt trapped in part 5: unreachable (item 55)");
  });

  it("cancels the other parts of the call", async () => {
    const calls = pool.alloc(Int32Array, 1);
    await expect(pool.map("countedTrapAt", range(2000).map((x) => [x, 0, calls]), { chunkSize: 1 })).rejects.toThrow(KernelError);
    // part 0 is the first claimed and traps at once; the other worker stops at its next claim
    expect(calls[0]).toBeLessThan(1000);
    pool.free(calls);
  });

  it("reports division by zero and out-of-bounds access, and the pool stays usable", async () => {
    await expect(pool.apply("divide", [1, 0])).rejects.toThrow(/^kernel divide trapped in part 0: .*divi.*zero/i);
    await expect(pool.apply("readAt", [2 ** 32 - 4])).rejects.toThrow(/^kernel readAt trapped in part 0: .*out of bounds/);
    // blocks [-2, -1) and [-1, 0): the second calls divide(-1, 0)
    await expect(pool.mapReduce("divide", [-2, 0], { chunkSize: 1 })).rejects.toThrow("kernel divide trapped in part 1");
    expect(await pool.map("trapAt", range(10).map((x) => [x, -1]))).toEqual(range(10).map((x) => 2 * x));
    expect(pool.stats().workersReplaced).toBe(0); // a trap is not a death
  });
});

describe("a worker that dies", () => {
  it("is replaced, and the part it held runs again on another worker", async () => {
    const started = pool.stats().workersStarted;
    flag[0] = 0;
    const results = await pool.map("crashOnceAt", range(200).map((x) => [x, 137, EXIT, flag]), { chunkSize: 10 });
    expect(flag[0]).toBe(1); // it did crash
    expect(results).toEqual(range(200).map((x) => 2 * x));
    await replaced(pool, started + 1);
  });

  it("rejects the call with a WorkerError when the part's second run dies too, and the pool stays usable", async () => {
    const call = pool.map("crashAt", range(100).map((x) => [x, 42, EXIT]), { chunkSize: 10 });
    await expect(call).rejects.toThrow(WorkerError);
    await expect(pool.map("crashAt", range(100).map((x) => [x, 42, EXIT]), { chunkSize: 10 }))
      .rejects.toThrow(/^a worker died twice while running part 4 of kernel crashAt \(the part was retried once\): worker thread exited with code 7/);
    expect(await pool.map("crashAt", range(100).map((x) => [x, -1, EXIT]))).toEqual(range(100).map((x) => 2 * x));
  });

  it("is recovered in a range call too", async () => {
    flag[0] = 0;
    // Σ 2i over [0, 1000) in blocks of 100; the block at 300 crashes its worker once
    expect(await pool.mapReduce("rangeCrashOnce", [0, 1000], { chunkSize: 100, args: [300, flag] })).toBe(999 * 1000);
    expect(flag[0]).toBe(1);
  });

  it("is retried once in apply, then rejected", async () => {
    flag[0] = 0;
    expect(await pool.apply("crashOnceAt", [21, 21, EXIT, flag])).toBe(42);
    await expect(pool.apply("crashAt", [1, 1, EXIT])).rejects.toThrow(/^a worker died twice while running kernel crashAt \(the call was retried once\)/);
  });

  it("after an uncaught exception, is replaced with the same module and memory, and signals ready", async () => {
    const before = pool.stats();
    flag[0] = 0;
    // the exception fires once the kernel call has returned: the call itself succeeds
    expect(await pool.map("crashOnceAt", [[5, 5, UNCAUGHT, flag]])).toEqual([10]);
    await replaced(pool, before.workersStarted + 1);
    const calls = pool.alloc(Int32Array, 1);
    // the replacement instantiated the same module over the same memory: it sees `calls`
    expect(await pool.map("countedTrapAt", range(500).map((x) => [x, -1, calls]), { chunkSize: 1 })).toEqual(range(500).map((x) => 2 * x));
    expect(calls[0]).toBe(500);
    pool.free(calls);
    expect(pool.stats().workersReplaced).toBeGreaterThan(before.workersReplaced);
  });
});

describe("close", () => {
  it("terminate() ends a pool whose kernels block forever, rejecting their calls", async () => {
    const p = await createPool({ workers: 2, module: SYNC_DEMOS });
    const q = Queue.create(p, 4);
    const seen = p.alloc(Int32Array, 16);
    // consumers of a queue nobody fills or closes: they sleep in memory.atomic.wait32
    const blocked = [p.apply("syncDemoConsume", [q, seen]), p.apply("syncDemoConsume", [q, seen])];
    const outcomes = Promise.allSettled(blocked);
    await new Promise((r) => setTimeout(r, 100));
    await p.terminate();
    for (const o of await outcomes) {
      expect(o.status).toBe("rejected");
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(PoolClosedError);
      expect(String((o as PromiseRejectedResult).reason.message)).toMatch(/the pool was terminated while kernel syncDemoConsume was running/);
    }
  });

  it("close({ force: true }) rejects a mapReduce still running", async () => {
    const p = await createPool({ workers: 2 });
    const call = p.mapReduce("piMidpointScalar", [1, 4e9], { args: [4e9], chunkSize: 1 << 22 });
    const settled = call.then(() => "resolved", (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await p.close({ force: true });
    const outcome = await settled;
    expect(outcome).toBeInstanceOf(PoolClosedError);
    await expect(p.map("nop", [1])).rejects.toThrow(/the pool is closed/);
  });
});
