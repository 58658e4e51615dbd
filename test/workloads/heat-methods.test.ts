import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, MemoryLimitError, createPool, heat, type HeatOptions, type Pool } from "../../dist/index.js";
import { Barrier, BARRIER_WORDS } from "../../dist/sync-entry.js";
import { centreOf, residualOf, serialMultigrid, serialSor, type Plate, type Run } from "./heat-reference.js";

type Method = "sor" | "multigrid";
const serial: Record<Method, (p: Plate) => Run> = { sor: serialSor, multigrid: serialMultigrid };

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

async function expectMatchesSerial(method: Method, plate: Plate, workers: number): Promise<void> {
  const want = serial[method](plate);
  const got = await heat({ ...plate, method, workers, pool });
  expect(got.method).toBe(method);
  expect(got.iterations).toBe(want.iterations);
  expect(got.residual).toBe(want.residuals.at(-1));
  expect(got.maxDiff).toBe(want.maxDiff);
  expect(got.converged).toBe(want.converged);
  expect(got.centre).toBe(want.centre);
  expect(sameBits(got.grid, want.grid)).toBe(true);
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

describe("heat sor: same bits as a serial red–black SOR solve", () => {
  for (const size of [1, 2, 5, 8, 13, 16]) {
    for (const workers of [1, 2, 3]) {
      it(`N = ${size}, ${workers} worker${workers > 1 ? "s" : ""}`, async () => {
        await expectMatchesSerial("sor", { size, top: 100, left: 25, tolerance: 1e-3, maxIterations: 5000 }, workers);
      });
    }
  }
});

describe("heat multigrid: same bits as a serial V(2,2) multigrid solve", () => {
  // odd sizes coarsen onto every other cell; even ones onto grids between the fine cells. Grids
  // of fewer than 32 rows per worker are cycled by one worker: from 66 (2 workers) and 100 (3)
  // the finer levels are split between the workers
  for (const size of [1, 2, 3, 4, 6, 7, 10, 15, 16, 21, 34, 66, 100]) {
    for (const workers of [1, 2, 3]) {
      it(`N = ${size}, ${workers} worker${workers > 1 ? "s" : ""}`, async () => {
        await expectMatchesSerial("multigrid", { size, top: 100, left: 25, tolerance: 1e-6, maxIterations: 50 }, workers);
      });
    }
  }

  it("takes edges as arrays and a starting value, as Jacobi does", async () => {
    const n = 11;
    const ramp = (k: number) => Array.from({ length: n + 2 }, (_, i) => k * i - 3);
    const plate = { size: n, top: ramp(2), bottom: ramp(-1.5), left: ramp(0.5), right: ramp(7), initial: 4, tolerance: 1e-5, maxIterations: 50 };
    for (const workers of [1, 2, 3]) {
      await expectMatchesSerial("multigrid", plate, workers);
      await expectMatchesSerial("sor", { ...plate, maxIterations: 5000 }, workers);
    }
  });
});

describe("heat sor and multigrid: without shared memory", () => {
  it("solves in the calling thread, as one member, with the serial bits (a page that is not cross-origin isolated)", async () => {
    const isolated = await createPool({ workers: 2 });
    try {
      // what the browser platform reports there: the workers cannot share the plate's memory
      Object.defineProperty(isolated, "workersShareMemory", { get: () => false });
      for (const method of ["sor", "multigrid"] as const) {
        const plate = { size: 17, top: 100, left: 25, tolerance: 1e-3, maxIterations: 1000 };
        const r = await heat({ ...plate, method, workers: 2, pool: isolated });
        expect(r.backend).toBe("inline");
        expect(r.workers).toBe(1);
        const want = serial[method](plate);
        expect(r.iterations).toBe(want.iterations);
        expect(sameBits(r.grid, want.grid)).toBe(true);
      }
    } finally {
      await isolated.close();
    }
  });
});

describe("heat sor and multigrid: stopping", () => {
  for (const method of ["sor", "multigrid"] as const) {
    it(`${method}: stops on the first iteration whose residual is below the tolerance, with that grid`, async () => {
      const base = { size: 14, top: 100, right: 40, tolerance: 1e-300, maxIterations: method === "sor" ? 60 : 12 };
      const residuals = serial[method](base).residuals;
      for (const k of method === "sor" ? [7, 30] : [3, 6]) {
        const plate = { ...base, tolerance: (residuals[k - 1]! + residuals[k - 2]!) / 2 };
        expect(residuals[k - 1]!).toBeLessThan(plate.tolerance);
        expect(residuals[k - 2]!).toBeGreaterThanOrEqual(plate.tolerance);
        for (const workers of [1, 2, 3]) {
          const r = await heat({ ...plate, method, workers, pool });
          expect(r.iterations).toBe(k);
          expect(r.converged).toBe(true);
          expect(r.residual).toBe(residuals[k - 1]);
          expect(sameBits(r.grid, serial[method](plate).grid)).toBe(true);
        }
      }
    });

    it(`${method}: stops after maxIterations, unconverged`, async () => {
      const plate = { size: 9, top: 100, tolerance: 1e-300, maxIterations: 3 };
      const r = await heat({ ...plate, method, workers: 2, pool });
      expect(r.iterations).toBe(3);
      expect(r.converged).toBe(false);
      expect(sameBits(r.grid, serial[method](plate).grid)).toBe(true);
    });
  }

  it("multigrid stops after 100 cycles by default", async () => {
    // a tolerance below what rounding lets the residual reach (at N ≤ 100 or so it can reach exactly 0)
    const r = await heat({ size: 200, top: 100, left: 7, tolerance: 1e-300, method: "multigrid", workers: 2, pool });
    expect(r.iterations).toBe(100);
    expect(r.converged).toBe(false);
  });

  for (const [method, size, tolerance] of [["sor", 120, 1e-8], ["multigrid", 150, 1e-9]] as const) {
    it(`${method}: every progress report is one whole iteration's count, max change and residual, on 1, 2 and 3 workers`, async () => {
      // the red–black methods reduce the residual through pool.iterate and read the max change
      // from the lanes' slots while the lanes run on: a report must never mix two iterations
      const want = serial[method]({ size, top: 100, left: 25, tolerance, maxIterations: 100_000 });
      let midway = 0;
      for (const workers of [1, 2, 3]) {
        const seen: Array<{ iteration: number; maxDiff: number; residual?: number }> = [];
        const r = await heat({ size, top: 100, left: 25, tolerance, method, workers, pool, progressIntervalMs: 1, onProgress: (p) => seen.push(p) });
        expect(r.iterations).toBe(want.iterations);
        midway += seen.filter((p) => p.iteration > 0 && p.iteration < r.iterations).length;
        for (const p of seen) {
          if (p.iteration === 0) continue;
          expect([p.iteration, p.maxDiff, p.residual]).toEqual([p.iteration, want.maxDiffs[p.iteration - 1], want.residuals[p.iteration - 1]]);
        }
        expect(seen.at(-1)).toMatchObject({ iteration: r.iterations, maxDiff: r.maxDiff, residual: r.residual });
      }
      // not vacuous: some reports came while the lanes were running (a fast solve may see none)
      expect(midway).toBeGreaterThan(0);
    });
  }

  it("reports the residual in progress, ending with the result's", async () => {
    const seen: Array<{ iteration: number; residual?: number; fraction: number }> = [];
    const r = await heat({ size: 60, top: 100, method: "sor", workers: 2, pool, progressIntervalMs: 1, onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(last.iteration).toBe(r.iterations);
    expect(last.residual).toBe(r.residual);
    expect(last.fraction).toBe(1);
  });
});

describe("heat: the residual and the centre", () => {
  for (const method of ["jacobi", "sor", "multigrid"] as const) {
    it(`${method}: the result's residual is max |Δh u| of the returned grid`, async () => {
      const r = await heat({ size: 23, top: 100, left: -20, tolerance: 1e-2, method, workers: 2, pool });
      expect(r.residual).toBe(residualOf(r.grid, 23));
    });
  }

  // top 100, the other edges 0: the four rotations of the plate add up to a plate at 100, so the
  // exact discrete solution's centre is 25; no cell is further from it than residual / 8
  for (const [method, size] of [["multigrid", 63], ["multigrid", 64], ["multigrid", 255], ["multigrid", 300], ["sor", 31], ["sor", 40]] as const) {
    it(`${method}, N = ${size}: the centre is 25 within tolerance / 8`, async () => {
      const tolerance = 8e-4;
      const r = await heat({ size, top: 100, tolerance, method, workers: 3, pool });
      expect(r.converged).toBe(true);
      expect(r.residual).toBeLessThan(tolerance);
      expect(r.centre).toBe(centreOf(r.grid, size));
      expect(Math.abs(r.centre - 25)).toBeLessThanOrEqual(r.residual / 8);
    });
  }

  it("multigrid gives the same bits on 1, 2 and 3 workers at N = 200", async () => {
    const runs = await Promise.all([1, 2, 3].map((workers) => heat({ size: 200, top: 100, tolerance: 1e-3, method: "multigrid", workers, pool })));
    for (const r of runs.slice(1)) {
      expect(r.iterations).toBe(runs[0]!.iterations);
      expect(sameBits(r.grid, runs[0]!.grid)).toBe(true);
    }
  });
});

describe("heat sor and multigrid: cancellation and bad input", () => {
  for (const method of ["sor", "multigrid"] as const) {
    it(`${method}: rejects with AbortError when the signal aborts mid-solve, and the pool stays usable`, async () => {
      const controller = new AbortController();
      const solving = heat({
        size: 48, top: 100, tolerance: 1e-300, maxIterations: 2 ** 31 - 1, method, workers: 3, pool, progressIntervalMs: 5, signal: controller.signal,
        onProgress: (p) => { if (p.iteration > 0) controller.abort(); },
      });
      await expect(solving).rejects.toThrow(AbortError);
      await expectMatchesSerial(method, { size: 10, top: 1, tolerance: 1e-3, maxIterations: 1000 }, 3);
    });
  }

  for (const method of ["sor", "multigrid"] as const) {
    it(`${method}: rejects when a worker waits at a barrier past barrierTimeoutMs, and the pool stays usable`, async () => {
      const small = await createPool({ workers: 2 });
      try {
        // hold one of the two workers at a second barrier until the test releases it
        const blocker = new Barrier(small.alloc(Int32Array, BARRIER_WORDS)).init(2);
        const held = small.apply("barrierWait", [blocker.byteOffset, -1]);
        await expect(heat({ size: 100, top: 100, tolerance: 1e-300, maxIterations: 2 ** 31 - 1, method, workers: 2, pool: small, barrierTimeoutMs: 50 }))
          .rejects.toThrow(/barrier.*barrierTimeoutMs = 50 ms/);
        expect(await blocker.waitAsync()).toBe(1); // arrival index: the held kernel arrived first
        expect(await held).toBe(0);
        const plate = { size: 70, top: 10, tolerance: 1e-3, maxIterations: 1000 };
        const r = await heat({ ...plate, method, workers: 2, pool: small });
        expect(sameBits(r.grid, serial[method](plate).grid)).toBe(true);
      } finally {
        await small.close();
      }
    });
  }

  const cases: Array<[string, Partial<HeatOptions>, RegExp]> = [
    ["an unknown method", { size: 4, method: "gauss" as HeatOptions["method"] }, /^method must be one of "jacobi", "sor", "multigrid"; got "gauss"/],
    ["a method that is not a string", { size: 4, method: 1 as unknown as HeatOptions["method"] }, /^method must be one of/],
    ["tolerance 0 with sor", { size: 4, method: "sor", tolerance: 0 }, /^tolerance must be a finite number greater than 0/],
    ["maxIterations 0 with multigrid", { size: 4, method: "multigrid", maxIterations: 0 }, /^maxIterations must be an integer from 1/],
  ];
  for (const [what, options, message] of cases) {
    it(`rejects ${what}`, async () => {
      const solving = heat({ pool, ...options } as HeatOptions);
      await expect(solving).rejects.toThrow(InvalidArgumentError);
      await expect(solving).rejects.toThrow(message);
    });
  }

  it("rejects a multigrid plate beyond the pool's maxMemory with the bytes needed, leaving nothing allocated", async () => {
    const tiny = await createPool({ workers: 1, maxMemory: 1 << 20 });
    try {
      const before = tiny.arena.allocatedBytes;
      const solving = heat({ size: 200, method: "multigrid", pool: tiny });
      await expect(solving).rejects.toThrow(MemoryLimitError);
      // plate and its residual: 2 · 202² · 8; coarser levels 99, 49, 24, 11, 5, 2: 3 grids each, 2 on the coarsest
      const bytes = 8 * (2 * 202 ** 2 + 3 * (101 ** 2 + 51 ** 2 + 26 ** 2 + 13 ** 2 + 7 ** 2) + 2 * 4 ** 2);
      await expect(solving).rejects.toThrow(`(${bytes} bytes)`);
      expect(tiny.arena.allocatedBytes).toBe(before);
      const r = await heat({ size: 8, top: 100, tolerance: 1e-3, method: "multigrid", pool: tiny });
      expect(sameBits(r.grid, serialMultigrid({ size: 8, top: 100, tolerance: 1e-3, maxIterations: 100 }).grid)).toBe(true);
    } finally {
      await tiny.close();
    }
  });
});
