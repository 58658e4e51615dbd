import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, AbortError, InvalidArgumentError, type Pool } from "../../dist/index.js";
import { Mutex } from "../../dist/sync-entry.js";
import { SYNC_DEMOS } from "../sync/fixture.js";

/** Σ 1/(1 + x_i²), x_i = (i − 0.5)/n for i in [start, end): what piMidpointScalar returns, term by term. */
function midpointTerms(start: number, end: number, n: number): number {
  let s = 0;
  for (let i = start; i < end; i++) {
    const x = (i - 0.5) / n;
    s += 1 / (1 + x * x);
  }
  return s;
}

let pool: Pool;
// the bundled kernels plus the sync demos (a test fixture: `npm run asbuild:fixtures`)
beforeAll(async () => { pool = await createPool({ workers: 2, module: SYNC_DEMOS }); });
afterAll(async () => { await pool.close(); });

describe("alloc and free", () => {
  it("hands out a zero-filled view on the pool's memory that kernels write in place", async () => {
    const counter = pool.alloc(Int32Array, 16);
    expect(counter.buffer).toBe(pool.memory.buffer);
    expect(Array.from(counter)).toEqual(new Array(16).fill(0));
    await pool.apply("syncDemoAtomicIncrements", [counter, 1234]);
    expect(counter[0]).toBe(1234); // seen through the same view: no copy
    pool.free(counter);
  });

  it("reuses a freed region, zero-filled again", () => {
    const a = pool.alloc(Float64Array, 100);
    a.fill(7);
    const offset = a.byteOffset;
    pool.free(a);
    const b = pool.alloc(Float64Array, 100);
    expect(b.byteOffset).toBe(offset);
    expect(b.every((v) => v === 0)).toBe(true);
    pool.free(b);
  });

  it("refuses to free a view it did not hand out", () => {
    expect(() => pool.free(new Float64Array(4))).toThrow(InvalidArgumentError);
  });
});

describe("apply", () => {
  it("returns the kernel's number", async () => {
    expect(await pool.apply("piMidpointScalar", [1, 11, 10])).toBeCloseTo(midpointTerms(1, 11, 10), 14);
  });

  it("passes a pool typed array or a primitive as its byte offset", async () => {
    const counter = pool.alloc(Int32Array, 16);
    const mutex = Mutex.create(pool);
    await pool.apply("syncDemoLockedIncrements", [counter, mutex, 500, 0]);
    expect(counter[0]).toBe(500);
    expect(mutex.isLocked).toBe(false);
    pool.free(counter);
    pool.free(mutex.words);
  });

  it("names the exports when the kernel does not exist", async () => {
    await expect(pool.apply("piMidpoint", [])).rejects.toThrow(InvalidArgumentError);
    await expect(pool.apply("piMidpoint", [])).rejects.toThrow(/^kernel must be a function the module exports \(.*piMidpointSimd.*\); got "piMidpoint"/);
  });

  it("rejects an argument that is neither a number nor shared memory, naming it", async () => {
    await expect(pool.apply("piMidpointScalar", [1, "2", 3] as never)).rejects.toThrow(/^args\[1\] must be a number/);
    await expect(pool.apply("piMidpointScalar", [1, new Float64Array(2), 3] as never)).rejects.toThrow(/^args\[1\] must be a number/);
  });

  it("rejects at once with an AbortError when the signal is already aborted", async () => {
    const c = new AbortController();
    c.abort();
    await expect(pool.apply("nop", [], { signal: c.signal })).rejects.toThrow(AbortError);
  });

  it("reports progress once, at the end", async () => {
    const seen: number[] = [];
    await pool.apply("nop", [], { onProgress: (p) => seen.push(p.fraction) });
    expect(seen).toEqual([1]);
  });
});

describe("stats", () => {
  it("counts one task per worker taking part, time busy per worker, and an empty queue when idle", async () => {
    const before = pool.stats();
    expect(before.workers).toBe(2);
    expect(before.perWorker.map((w) => w.id)).toEqual([0, 1]);
    await pool.mapReduce("piMidpointScalar", [1, 2_000_001], { args: [2e6], chunkSize: 1e5 });
    const after = pool.stats();
    const ran = after.tasksRun - before.tasksRun;
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThanOrEqual(2);
    const busy = after.perWorker.reduce((s, w) => s + w.busyMs, 0) - before.perWorker.reduce((s, w) => s + w.busyMs, 0);
    expect(busy).toBeGreaterThan(0);
    expect(after.queueLength).toBe(0);
    expect(after.perWorker.every((w) => w.alive)).toBe(true);
    expect(after.workersReplaced).toBe(0);
  });

  it("shows queued tasks while every worker is busy", async () => {
    const calls = Array.from({ length: 6 }, () => pool.apply("piMidpointScalar", [1, 3e6, 3e6]));
    expect(pool.stats().queueLength).toBe(4);
    await Promise.all(calls);
    expect(pool.stats().queueLength).toBe(0);
  });
});

describe("createPool", () => {
  it("rejects an unknown option, naming it", async () => {
    await expect(createPool({ worker: 2 } as never)).rejects.toThrow(/createPool option "worker"/);
  });

  it("rejects a module that is not WebAssembly, naming the parameter", async () => {
    await expect(createPool({ workers: 1, module: new Uint8Array([1, 2, 3, 4]) })).rejects.toThrow(/^module must be valid WebAssembly/);
  });

  it("rejects a module path that cannot be read", async () => {
    await expect(createPool({ workers: 1, module: "/nonexistent/kernels.wasm" })).rejects.toThrow(/^module must be .* that can be read \(ENOENT/);
  });
});
