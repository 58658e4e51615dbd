/**
 * Behaviour the README and docs/pool.md promise, through the public API only: error fields,
 * the prime list's element type, aborting an apply, warm-up, map's default chunk size,
 * progress spacing, per-worker statistics, a worker lost to a failed allocation, and the same
 * bits on 1 worker or 64.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError, InvalidArgumentError, KernelError, MemoryLimitError, WorkerError,
  createPool, monteCarloPi, pi, primes, type Pool,
} from "../../dist/index.js";
import { CRASH_HOST, ROOT, compileExample, compileFaults } from "../helpers/asc.js";
import { until, within } from "../helpers/deadline.js";

const ALLOC_FAIL_HOST = join(ROOT, "test/pool/fixtures/alloc-fail-host.mjs");

let faults: Pool;
beforeAll(async () => { faults = await createPool({ workers: 2, module: compileFaults(), hostImports: ALLOC_FAIL_HOST }); });
afterAll(async () => { await faults.close(); });

describe("error fields", () => {
  it("InvalidArgumentError: parameter, value and allowed, and it is a RangeError", async () => {
    const e = await pi({ n: -3 }).catch((x) => x);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e).toBeInstanceOf(RangeError);
    expect([e.name, e.parameter, e.value, e.allowed]).toEqual(["InvalidArgumentError", "n", -3, "an integer from 1 to 1e12"]);
    expect(e.message).toBe("n must be an integer from 1 to 1e12; got -3");
  });

  it("MemoryLimitError: bytesNeeded and limitBytes", async () => {
    const pool = await createPool({ workers: 1, maxMemory: 1 << 20 });
    try {
      const e = (() => { try { pool.alloc(Float64Array, 1 << 20); } catch (x) { return x; } })() as MemoryLimitError;
      expect(e).toBeInstanceOf(MemoryLimitError);
      expect(e.name).toBe("MemoryLimitError");
      expect(e.limitBytes).toBe(1 << 20); // the pool's maxMemory
      expect(e.bytesNeeded - (8 << 20)).toBeGreaterThanOrEqual(0); // the array, plus at most its alignment
      expect(e.bytesNeeded - (8 << 20)).toBeLessThanOrEqual(64);
      expect(e.message).toContain(`(${e.bytesNeeded} bytes) but the limit (maxMemory) is 1 MiB (1048576 bytes)`);
      expect(e.message).toContain("raise maxMemory");
    } finally {
      await pool.close();
    }
  });

  it("KernelError: kernel, part and trap", async () => {
    const e = await faults.map("trapAt", [0, 1, 2, 3, 4, 5].map((x) => [x, 4]), { chunkSize: 2 }).catch((x) => x);
    expect(e).toBeInstanceOf(KernelError);
    expect([e.name, e.kernel, e.part]).toEqual(["KernelError", "trapAt", 2]); // item 4 is in part ⌊4/2⌋
    expect(e.trap).toMatch(/unreachable/);
  });

  it("AbortError: the signal's reason", async () => {
    const reason = new Error("enough");
    const e = await pi({ n: 1e6, signal: AbortSignal.abort(reason) }).catch((x) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect([e.name, e.reason]).toEqual(["AbortError", reason]);
  });

  it("WorkerError: a call whose worker died twice", async () => {
    const pool = await createPool({ workers: 2, module: compileFaults(), hostImports: CRASH_HOST });
    try {
      const e = await pool.apply("crashAt", [1, 1, 0]).catch((x) => x); // mode 0: process.exit in the worker
      expect(e).toBeInstanceOf(WorkerError);
      expect(e.name).toBe("WorkerError");
      expect(e.message).toMatch(/^a worker died twice while running kernel crashAt \(the call was retried once\)/);
    } finally {
      await pool.terminate();
    }
  });
});

describe("primes()", () => {
  it("plans a Float64Array list from 2^32 on and a Uint32Array below (seen in the memory it asks for)", async () => {
    // listing ~2·10⁸ primes would take 1.6 GB: ask a small pool, and read the element size from
    // the MemoryLimitError that refuses the list before any work
    const pool = await createPool({ workers: 1, maxMemory: 1 << 24 });
    try {
      const below = await primes({ upTo: 2 ** 32 - 1, pool }).catch((x) => x);
      const at = await primes({ upTo: 2 ** 32, pool }).catch((x) => x);
      expect(below).toBeInstanceOf(MemoryLimitError);
      expect(at).toBeInstanceOf(MemoryLimitError);
      expect(below.message).toMatch(/primes × 4 bytes/);
      expect(at.message).toMatch(/primes × 8 bytes/);
      // the list's bound is the same count both times, at twice the bytes
      const count = Number(/at most (\d+) primes/.exec(at.message)![1]);
      expect(count).toBeGreaterThan(203_280_221); // π(2^32)
      expect(at.bytesNeeded - below.bytesNeeded).toBeGreaterThanOrEqual(4 * count - 64);
      const small = await primes({ upTo: 100, pool });
      expect(small.primes).toBeInstanceOf(Uint32Array);
      expect(Array.from(small.primes)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]);
      pool.free(small.primes);
    } finally {
      await pool.close();
    }
  });
});

describe("apply", () => {
  it("rejects at once when aborted mid-call; the kernel runs to its end and the pool stays usable", async () => {
    const pool = await createPool({ workers: 1 });
    try {
      const n = 4e8; // a few hundred ms of one kernel call
      const full = performance.now();
      await pool.apply("piMidpointSimd", [1, 1 + n, n]);
      const callMs = performance.now() - full;
      const controller = new AbortController();
      const started = performance.now();
      const call = pool.apply("piMidpointSimd", [1, 1 + n, n], { signal: controller.signal });
      setTimeout(() => controller.abort(), 10);
      await expect(call).rejects.toThrow(AbortError);
      expect(performance.now() - started).toBeLessThan(Math.max(callMs / 2, 10 + 50));
      // the worker finishes the aborted call, then takes the next one
      const sum = await within(pool.apply("piMidpointSimd", [1, 1 + 1000, 1000]), "an apply after an aborted one");
      expect(Math.abs((4 / 1000) * sum - Math.PI)).toBeLessThan(1e-6);
    } finally {
      await pool.close();
    }
  });
});

describe("warmUp", () => {
  /** The warm-up's kernels write their tiny inputs into the memory's reserved first 64 KiB. */
  const reservedWritten = (pool: Pool) => new Uint8Array(pool.memory.buffer, 8192, 65536 - 8192).some((b) => b !== 0);

  it("runs the bundled kernels in every worker before the pool is ready, unless warmUp is false", async () => {
    const cold = await createPool({ workers: 1, warmUp: false });
    const warm = await createPool({ workers: 1 });
    try {
      expect(reservedWritten(cold)).toBe(false);
      expect(reservedWritten(warm)).toBe(true);
      // both compute the same
      const [a, b] = await Promise.all([cold, warm].map((pool) => pi({ n: 1e6, pool, inlineThreshold: 0 })));
      expect(a!.value).toBe(b!.value);
    } finally {
      await Promise.all([cold.close(), warm.close()]);
    }
  });

  it("is not done for a user's module", async () => {
    const pool = await createPool({ workers: 1, module: compileExample(), warmUp: true });
    try {
      expect(new Uint8Array(pool.memory.buffer, 8192, 65536 - 8192).some((b) => b !== 0)).toBe(false);
      expect(await pool.apply("collatzSteps", [27])).toBe(111);
    } finally {
      await pool.close();
    }
  });
});

describe("map's default chunk size", () => {
  /** The part a trapping item was in, from the KernelError: ⌊item / chunkSize⌋. */
  async function partOf(item: number, items: number, workers: number): Promise<number> {
    const list = Array.from({ length: items }, (_, i) => [i, item]);
    const e = await faults.map("trapAt", list, { workers }).catch((x) => x);
    expect(e).toBeInstanceOf(KernelError);
    return e.part;
  }

  it("is about 8 parts per worker: ⌈items / (8 · workers)⌉", async () => {
    // 1000 items on 2 workers: chunks of ⌈1000/16⌉ = 63
    expect(await partOf(125, 1000, 2)).toBe(1);
    expect(await partOf(126, 1000, 2)).toBe(2);
    // on 1 worker: chunks of 125
    expect(await partOf(124, 1000, 1)).toBe(0);
    expect(await partOf(125, 1000, 1)).toBe(1);
  });

  it("is at most 16384 items", async () => {
    // 300 000 items on 1 worker would be chunks of 37 500
    expect(await partOf(16_383, 300_000, 1)).toBe(0);
    expect(await partOf(16_384, 300_000, 1)).toBe(1);
    expect(await partOf(5 * 16_384 + 1, 300_000, 1)).toBe(5);
  });
});

describe("progressIntervalMs", () => {
  let pool: Pool;
  beforeAll(async () => { pool = await createPool({ workers: 2, module: compileExample() }); });
  afterAll(async () => { await pool.close(); });

  /** Times of the progress reports of a mapReduce of 400 parts of about a millisecond each. */
  async function reportTimes(progressIntervalMs: number | undefined): Promise<Array<{ at: number; done: number }>> {
    const seen: Array<{ at: number; done: number }> = [];
    await pool.mapReduce("sumSquares", [0, 400 * 1_000_000], {
      chunkSize: 1_000_000, progressIntervalMs, onProgress: ({ done }) => seen.push({ at: performance.now(), done }),
    });
    return seen;
  }

  it("spaces reports at least that far apart, then reports the end", async () => {
    const seen = await reportTimes(40);
    expect(seen.at(-1)!.done).toBe(400);
    const spaced = seen.slice(0, -1); // the final report comes whenever the call ends
    expect(spaced.length).toBeGreaterThanOrEqual(2);
    // Node's timers may fire up to about a millisecond early as performance.now() measures them
    for (let i = 1; i < spaced.length; i++) expect(spaced[i]!.at - spaced[i - 1]!.at).toBeGreaterThanOrEqual(38);
  });

  it("defaults to 100 ms", async () => {
    const seen = (await reportTimes(undefined)).slice(0, -1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.at - seen[i - 1]!.at).toBeGreaterThanOrEqual(98);
  });

  it("with 0, reports as parts finish: many more reports", async () => {
    const fast = await reportTimes(0);
    expect(fast.length).toBeGreaterThan(20);
    for (let i = 1; i < fast.length; i++) expect(fast[i]!.done).toBeGreaterThanOrEqual(fast[i - 1]!.done);
  });

  it("rejects a negative or non-finite interval, naming it", async () => {
    await expect(pool.map("collatzSteps", [1], { progressIntervalMs: -1 })).rejects.toThrow(/^progressIntervalMs must be a finite number at least 0/);
    await expect(pool.mapReduce("sumSquares", [0, 10], { progressIntervalMs: NaN })).rejects.toThrow(InvalidArgumentError);
  });
});

describe("stats().perWorker", () => {
  it("lists every worker with id, threadId, alive, tasksRun and busyMs", async () => {
    const pool = await createPool({ workers: 2, warmUp: false });
    try {
      await pi({ n: 4e7, pool, inlineThreshold: 0, chunkSize: 1 << 20 });
      const s = pool.stats();
      expect(s.perWorker.map((w) => w.id).sort()).toEqual([0, 1]);
      for (const w of s.perWorker) {
        expect(Object.keys(w).sort()).toEqual(["alive", "busyMs", "id", "tasksRun", "threadId"]);
        expect(w.alive).toBe(true);
        expect(Number.isInteger(w.threadId) && w.threadId > 0).toBe(true);
        expect(w.tasksRun).toBe(1); // one task per worker taking part
        expect(w.busyMs).toBeGreaterThan(0);
      }
      expect(new Set(s.perWorker.map((w) => w.threadId)).size).toBe(2);
      expect(s.tasksRun).toBe(2);
      expect([s.workers, s.workersStarted, s.workersReplaced, s.queueLength]).toEqual([2, 2, 0, 0]);
    } finally {
      await pool.close();
    }
  });
});

describe("a worker whose allocation fails", () => {
  it("dies and is replaced with a worker that runs the next calls", async () => {
    const flag = faults.alloc(Int32Array, 1);
    try {
      const before = faults.stats();
      const items = Array.from({ length: 40 }, (_, i) => [i, 17, 0, flag]);
      const out = await within(faults.map("crashOnceAt", items, { chunkSize: 4 }), "map over a worker that failed an allocation");
      expect(out).toEqual(items.map(([x]) => 2 * (x as number)));
      expect(flag[0]).toBe(1); // the crash did happen
      // the failed allocation fires once the kernel call has returned: the worker dies just after
      await until(() => faults.stats().workersReplaced > before.workersReplaced && faults.stats().perWorker.filter((w) => w.alive).length === 2,
        "the pool, for a replacement of the worker whose allocation failed");
      const after = faults.stats();
      expect(after.workersReplaced - before.workersReplaced).toBe(1);
      expect(after.perWorker.filter((w) => !w.alive)).toHaveLength(1 + before.perWorker.filter((w) => !w.alive).length);
      expect(after.perWorker.filter((w) => w.alive)).toHaveLength(2);
      expect(await faults.map("trapAt", items.map(([x]) => [x!, -1]), { chunkSize: 1 })).toEqual(items.map(([x]) => 2 * (x as number)));
    } finally {
      faults.free(flag);
    }
  });
});

describe("the same bits on 1 worker or 64", () => {
  it("gives π, Monte Carlo hits and a mapReduce sum identical bits on 1 and 64 workers", async () => {
    const one = await createPool({ workers: 1, warmUp: false });
    const many = await within(createPool({ workers: 64, warmUp: false }), "64 workers starting", 30_000);
    try {
      expect(many.size).toBe(64);
      const job = (pool: Pool) => Promise.all([
        pi({ n: 2e6 + 3, pool, chunkSize: 10_007, inlineThreshold: 0 }),
        monteCarloPi({ samples: 1e6 + 7, seed: 11, pool, chunkSize: 9_973, inlineThreshold: 0 }),
      ]);
      const [[p1, m1], [p64, m64]] = [await job(one), await job(many)];
      expect([p1.workers, p64.workers]).toEqual([1, 64]);
      expect(Object.is(p1.value, p64.value)).toBe(true);
      expect(Math.abs(p1.value - Math.PI)).toBeLessThan(1e-12);
      expect(m64.hits).toBe(m1.hits);
      expect(many.stats().perWorker.filter((w) => w.tasksRun > 0).length).toBeGreaterThan(32);
    } finally {
      await Promise.all([one.close(), many.close()]);
    }
  });
});
