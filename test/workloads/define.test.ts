/**
 * The route every workload takes (src/workloads/define.ts), seen through pi() and heat(): the
 * options it checks, the pool it runs on, the workers it reports, and the time it measures.
 */
import { afterAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, TimeoutError, close, createPool, heat, monteCarloPi, pi, type Pool } from "../../dist/index.js";

afterAll(async () => { await close(); });

describe("a workload's run", () => {
  it("runs on the pool it is given, one task per worker taking part", async () => {
    const pool = await createPool({ workers: 3 });
    try {
      const before = pool.stats().tasksRun;
      const r = await pi({ n: 3e6, chunkSize: 1 << 16, pool, inlineThreshold: 0 });
      expect(r.workers).toBe(3);
      expect(r.backend).toBe("workers");
      expect(pool.stats().tasksRun - before).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it("uses only the workers asked for on a larger pool", async () => {
    const pool = await createPool({ workers: 3 });
    try {
      const r = await pi({ n: 3e6, chunkSize: 1 << 16, pool, workers: 2, inlineThreshold: 0 });
      expect(r.workers).toBe(2);
      expect(pool.stats().tasksRun).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it("without a pool, runs on the default pool, grown to the workers asked for", async () => {
    const r = await pi({ n: 3e6, workers: 3, inlineThreshold: 0 });
    expect(r.workers).toBe(3);
    expect(Math.abs(r.value - Math.PI)).toBeLessThan(1e-12);
  });

  it("uses at most the pool's workers when more are asked for", async () => {
    const pool = await createPool({ workers: 2 });
    try {
      const r = await pi({ n: 3e6, chunkSize: 1 << 16, pool, workers: 5, inlineThreshold: 0 });
      expect(r.workers).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it("measures elapsedMs around the kernel run: positive, and no longer than the call", async () => {
    const pool = await createPool({ workers: 2 });
    try {
      const started = performance.now();
      const r = await pi({ n: 4e6, pool, inlineThreshold: 0 });
      const wall = performance.now() - started;
      expect(r.elapsedMs).toBeGreaterThan(0);
      expect(r.elapsedMs).toBeLessThanOrEqual(wall);
    } finally {
      await pool.close();
    }
  });
});

describe("a workload's common options", () => {
  it("are checked before any work, each named", async () => {
    const pool = await createPool({ workers: 1 });
    try {
      const bad: Array<[object, RegExp]> = [
        [{ pool: {} }, /^pool must be a Pool from createPool\(\); got \{\}$/],
        [{ pool: 5 }, /^pool must be a Pool from createPool\(\)/],
        [{ pool, progressIntervalMs: -1 }, /^progressIntervalMs must be a finite number at least 0 and at most 2147483647; got -1$/],
        [{ pool, progressIntervalMs: Infinity }, /^progressIntervalMs must be/],
        [{ pool, workers: 0 }, /^workers must be an integer from 1 to 256; got 0$/],
        [{ pool, onProgress: "x" }, /^onProgress must be a function/],
        [{ pool, signal: 5 }, /^signal must be an AbortSignal/],
        [{ pool, timeoutMs: -1 }, /^timeoutMs must be a finite number greater than 0 and at most 2147483647; got -1$/],
        [{ pool, frobnicate: 1 }, /^pi option "frobnicate" must be one of n, chunkSize, kernel, inlineThreshold, workers, pool, signal, timeoutMs, onProgress, progressIntervalMs/],
      ];
      for (const [options, message] of bad) {
        const run = pi({ n: 10, ...options } as never);
        await expect(run).rejects.toThrow(InvalidArgumentError);
        await expect(pi({ n: 10, ...options } as never)).rejects.toThrow(message);
      }
      expect(pool.stats().tasksRun).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it("take only an options object", async () => {
    for (const options of [undefined, null, 7, "n", [1e6]]) {
      await expect(pi(options as never)).rejects.toThrow(/^pi\(\) takes an options object, e.g. pi\(\{ n: 1e9 \}\)$/);
      await expect(monteCarloPi(options as never)).rejects.toThrow(TypeError);
    }
  });

  it("signal: an aborted signal rejects before any work, with its reason", async () => {
    const reason = new Error("no");
    const e = await pi({ n: 1e6, signal: AbortSignal.abort(reason) }).catch((x) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect(e.reason).toBe(reason);
  });

  it("timeoutMs: a run longer than that rejects with a TimeoutError", async () => {
    const pool = await createPool({ workers: 1 });
    try {
      const started = performance.now();
      await expect(pi({ n: 1e12, pool, timeoutMs: 100 })).rejects.toThrow(TimeoutError);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect((await pi({ n: 1e6, pool, timeoutMs: 60_000, inlineThreshold: 0 })).value).toBeCloseTo(Math.PI, 12);
    } finally {
      await pool.close();
    }
  });

  it("onProgress: reports the parts done, ending with all of them", async () => {
    const pool = await createPool({ workers: 2 });
    try {
      const seen: Array<{ done: number; total: number; fraction: number }> = [];
      const r = await pi({ n: 4e7, pool, chunkSize: 1 << 20, inlineThreshold: 0, progressIntervalMs: 1, onProgress: (p) => seen.push(p) });
      expect(seen.at(-1)).toEqual({ done: r.parts, total: r.parts, fraction: 1 });
      for (const p of seen) expect(p.fraction).toBe(p.done / p.total);
    } finally {
      await pool.close();
    }
  });

  it("heat refuses a cluster, saying why", async () => {
    const cluster = { kind: "cluster", size: 2, runRange: () => Promise.reject(new Error("unused")) };
    const e = await heat({ size: 4, pool: cluster as never }).catch((x) => x);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toBe('pool must be a Pool from createPool(): heat cannot run on a cluster (its workers meet at a barrier in one shared memory ' +
      "after every sweep; across machines that is a halo exchange per sweep, MPI's job); got \"a cluster\"");
  });
});

describe("a range runner as the pool (the cluster interface)", () => {
  /** A RangeRunner over a real pool: what src/cluster/ gives, on one machine. */
  const runnerOver = (pool: Pool) => ({ kind: "cluster" as const, size: pool.size, runRange: (job: never) => pool.runRange(job) });

  it("runs pi and monteCarloPi, which only run range jobs, with the same bits as the pool itself", async () => {
    const pool = await createPool({ workers: 2 });
    try {
      const runner = runnerOver(pool);
      const [a, b] = [await pi({ n: 3e6, pool, inlineThreshold: 0 }), await pi({ n: 3e6, pool: runner as never, inlineThreshold: 0 })];
      expect(Object.is(a.value, b.value)).toBe(true);
      const [c, d] = [await monteCarloPi({ samples: 1e6, pool }), await monteCarloPi({ samples: 1e6, pool: runner as never })];
      expect(d.hits).toBe(c.hits);
    } finally {
      await pool.close();
    }
  });

  it("is refused unless it is an object of kind \"cluster\" with a runRange function", async () => {
    const pool = await createPool({ workers: 1 });
    try {
      const runRange = (job: never) => pool.runRange(job);
      const fakes: unknown[] = [
        null,
        { kind: "other", size: 1, runRange },
        { kind: "cluster", size: 1 },
        { kind: "cluster", size: 1, runRange: 5 },
        Object.assign(() => 0, { kind: "cluster", size: 1, runRange }),
      ];
      for (const fake of fakes) {
        const e = await pi({ n: 10, pool: fake as never }).catch((x) => x);
        expect(e, String(fake)).toBeInstanceOf(InvalidArgumentError);
        expect(e.message).toMatch(/^pool must be a Pool from createPool\(\); got /);
      }
      expect(pool.stats().tasksRun).toBe(0);
    } finally {
      await pool.close();
    }
  });
});

