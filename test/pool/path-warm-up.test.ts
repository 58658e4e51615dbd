/**
 * The pool's own task path warmed up at start-up (src/pool/path-warm-up.ts): it must run none of
 * the user's code, leave no trace in stats(), stay out of the kernels a call may name, and be
 * skipped where it would spend maxTasksPerWorker's budgets. (That it makes a first map as quick
 * as later ones is a benchmark: bench/targets.bench.js, "firstcall".)
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, createPool } from "../../dist/index.js";
import { ROOT } from "../helpers/asc.js";

const COUNTED = join(ROOT, "test/pool/fixtures/counted.mjs");

describe("the pool's start-up warm-up of its task path", () => {
  it("runs none of the user's kernels: the worker's first call of one is its first", async () => {
    const pool = await createPool({ workers: 1, module: COUNTED });
    try {
      expect(await pool.apply("callCount")).toBe(0);
      expect(await pool.map("counted", [5, 6, 7])).toEqual([5, 6, 7]);
      expect(await pool.apply("callCount")).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it("leaves no task in stats(): a new pool has run none", async () => {
    for (const module of [undefined, COUNTED]) {
      const pool = await createPool({ workers: 2, module });
      try {
        const stats = pool.stats();
        expect(stats.tasksRun).toBe(0);
        expect(stats.perWorker.map((w) => [w.tasksRun, w.busyMs])).toEqual([[0, 0], [0, 0]]);
        if (module) {
          await pool.apply("counted", [1]);
          expect(pool.stats().tasksRun).toBe(1);
        }
      } finally {
        await pool.close();
      }
    }
  });

  it("leaves the memory laid out as a pool's that never ran a call (a cluster's worker reserves the coordinator's addresses from the first free byte)", async () => {
    const first = async (warmUp: boolean): Promise<[number, number]> => {
      const pool = await createPool({ workers: 2, warmUp });
      try {
        const view = pool.alloc(Float64Array, 1 << 16);
        return [view.byteOffset, pool.stats().tasksRun];
      } finally {
        await pool.close();
      }
    };
    const [cold] = await first(false);
    const [warm, tasks] = await first(true);
    expect(warm).toBe(cold);
    expect(tasks).toBe(0);
  });

  it("is not a kernel a call may name", async () => {
    const pool = await createPool({ workers: 1 });
    try {
      for (const name of ["__wasmMpPathWarmUpAdd", "__wasmMpPathWarmUpSub"]) {
        expect(pool.kernels).not.toContain(name);
        await expect(pool.map(name, [1])).rejects.toThrow(InvalidArgumentError);
      }
    } finally {
      await pool.close();
    }
  });

  it("is skipped with maxTasksPerWorker, whose budgets it would spend: the first worker runs the first calls", async () => {
    const pool = await createPool({ workers: 1, module: COUNTED, maxTasksPerWorker: 2 });
    try {
      // a warm-up there would have spent the budget and retired the first worker already
      expect(pool.stats().workersStarted).toBe(1);
      expect(await pool.apply("callCount")).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it("fits the smallest memory a pool may have: createPool with maxMemory 128 KiB or 256 KiB starts, and its calls have the rest", async () => {
    for (const maxMemory of [131072, 262144]) {
      const pool = await createPool({ workers: 2, module: COUNTED, maxMemory });
      try {
        expect(pool.memory.buffer.byteLength).toBeLessThanOrEqual(maxMemory);
        // 1500 items: 24 KiB of arguments and results, most of what 128 KiB leaves beside the reserved 64 KiB and the pool's own 32 KiB
        const items = Array.from({ length: 1500 }, (_, i) => i);
        expect(await pool.map("counted", items)).toEqual(items);
      } finally {
        await pool.close();
      }
    }
  });
});
