/**
 * The route every workload takes (src/plan/run-workload.ts), seen through pi(): the pool it runs
 * on, the workers it reports, and the time it measures.
 */
import { afterAll, describe, expect, it } from "vitest";
import { close, createPool, pi } from "../../dist/index.js";

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
