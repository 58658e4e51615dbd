import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InvalidArgumentError, MemoryLimitError, WorkerError, createPool, heat, type HeatOptions, type Pool } from "../../dist/index.js";
import { Barrier, BARRIER_WORDS } from "../../dist/sync-entry.js";

type Edge = number | number[];
interface Plate { size: number; top?: Edge; bottom?: Edge; left?: Edge; right?: Edge; initial?: number; tolerance: number; maxIterations: number }

/** A plain serial Jacobi solve with the kernel's operation order, written independently of it. */
function serialHeat(p: Plate) {
  const n = p.size;
  const w = n + 2;
  const at = (e: Edge | undefined, i: number): number => (e === undefined ? 0 : typeof e === "number" ? e : e[i]!);
  let u = new Float64Array(w * w);
  for (let r = 1; r <= n; r++) {
    for (let c = 1; c <= n; c++) u[r * w + c] = p.initial ?? 0;
    u[r * w] = at(p.left, r);
    u[r * w + n + 1] = at(p.right, r);
  }
  for (let c = 0; c < w; c++) {
    u[c] = at(p.top, c);
    u[(n + 1) * w + c] = at(p.bottom, c);
  }
  let next = u.slice();
  const diffs: number[] = [];
  for (;;) {
    let maxDiff = 0;
    for (let r = 1; r <= n; r++) {
      for (let c = 1; c <= n; c++) {
        const i = r * w + c;
        const v = 0.25 * (u[i - w]! + u[i + w]! + u[i - 1]! + u[i + 1]!);
        next[i] = v;
        maxDiff = Math.max(maxDiff, Math.abs(v - u[i]!));
      }
    }
    [u, next] = [next, u];
    diffs.push(maxDiff);
    if (maxDiff < p.tolerance || diffs.length >= p.maxIterations) break;
  }
  const a = n / 2;
  const b = a + 1;
  const m = (n + 1) / 2;
  const centre = n % 2 === 0 ? (u[a * w + a]! + u[a * w + b]! + u[b * w + a]! + u[b * w + b]!) / 4 : u[m * w + m]!;
  return { grid: u, iterations: diffs.length, maxDiff: diffs.at(-1)!, diffs, converged: diffs.at(-1)! < p.tolerance, centre };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

async function expectMatchesSerial(plate: Plate, workers: number): Promise<void> {
  const want = serialHeat(plate);
  const got = await heat({ ...plate, workers, pool });
  expect(got.iterations).toBe(want.iterations);
  expect(got.maxDiff).toBe(want.maxDiff);
  expect(got.converged).toBe(want.converged);
  expect(got.centre).toBe(want.centre);
  expect(sameBits(got.grid, want.grid)).toBe(true);
  expect(got.backend).toBe("workers");
}

/** A solve that runs for many seconds unless stopped. */
const LONG: HeatOptions = { size: 48, top: 100, tolerance: 1e-300, maxIterations: 2 ** 31 - 1, progressIntervalMs: 5 };

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

describe("heat: same bits as a serial Jacobi solve", () => {
  for (const size of [1, 2, 4, 5, 7, 16, 21, 33]) {
    for (const workers of [1, 2, 3]) {
      it(`N = ${size}, ${workers} worker${workers > 1 ? "s" : ""}`, async () => {
        await expectMatchesSerial({ size, top: 100, left: 25, tolerance: 1e-3, maxIterations: 5000 }, workers);
      });
    }
  }

  it("uses one worker per row block when N is smaller than the worker count", async () => {
    const r = await heat({ size: 2, top: 100, tolerance: 1e-6, workers: 3, pool });
    expect(r.workers).toBe(2);
    await expectMatchesSerial({ size: 2, top: 100, tolerance: 1e-6, maxIterations: 1000 }, 3);
  });

  it("takes each edge as an array of N+2 values, corners from top and bottom", async () => {
    const n = 9;
    const ramp = (k: number) => Array.from({ length: n + 2 }, (_, i) => k * i - 3);
    const plate = { size: n, top: ramp(2), bottom: ramp(-1.5), left: ramp(0.5), right: ramp(7), initial: 4, tolerance: 1e-5, maxIterations: 10_000 };
    const r = await heat({ ...plate, workers: 2, pool });
    const w = n + 2;
    expect(r.grid[0]).toBe(plate.top[0]);
    expect(r.grid[w - 1]).toBe(plate.top[w - 1]);
    expect(r.grid[(w - 1) * w]).toBe(plate.bottom[0]);
    expect(r.grid[5 * w]).toBe(plate.left[5]);
    expect(r.grid[5 * w + w - 1]).toBe(plate.right[5]);
    for (const workers of [1, 2, 3]) await expectMatchesSerial(plate, workers);
  });

  it("accepts edges as typed arrays", async () => {
    const top = Float64Array.from({ length: 6 }, (_, i) => i * i);
    const r = await heat({ size: 4, top, tolerance: 1e-4, workers: 2, pool });
    const want = serialHeat({ size: 4, top: Array.from(top), tolerance: 1e-4, maxIterations: 100_000 });
    expect(sameBits(r.grid, want.grid)).toBe(true);
  });
});

describe("heat: stopping", () => {
  it("stops on the first sweep whose max difference is below the tolerance", async () => {
    const plate = { size: 20, top: 100, tolerance: 0.01, maxIterations: 100_000 };
    const want = serialHeat(plate);
    expect(want.diffs.at(-2)!).toBeGreaterThanOrEqual(plate.tolerance);
    const r = await heat({ ...plate, workers: 3, pool });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(want.iterations);
    expect(r.maxDiff).toBeLessThan(plate.tolerance);
  });

  // the grids alternate: a stop after an odd and after an even sweep must each return the right one
  for (const sweeps of [9, 10]) {
    it(`stops on sweep ${sweeps} when that sweep first gets below the tolerance, with that sweep's grid`, async () => {
      const base = { size: 13, top: 100, left: 30, tolerance: 1e-300, maxIterations: sweeps + 5 };
      const diffs = serialHeat(base).diffs;
      const plate = { ...base, tolerance: (diffs[sweeps - 1]! + diffs[sweeps - 2]!) / 2 };
      expect(diffs[sweeps - 1]!).toBeLessThan(plate.tolerance);
      expect(diffs[sweeps - 2]!).toBeGreaterThanOrEqual(plate.tolerance);
      for (const workers of [1, 2, 3]) {
        const r = await heat({ ...plate, workers, pool });
        expect(r.iterations).toBe(sweeps);
        expect(r.converged).toBe(true);
        expect(r.maxDiff).toBe(diffs[sweeps - 1]);
        expect(sameBits(r.grid, serialHeat(plate).grid)).toBe(true);
      }
    });
  }

  for (const maxIterations of [1, 2, 7, 8]) {
    it(`stops after maxIterations = ${maxIterations} sweeps, unconverged, with that sweep's grid`, async () => {
      const plate = { size: 12, top: 100, right: 50, tolerance: 1e-9, maxIterations };
      const r = await heat({ ...plate, workers: 2, pool });
      expect(r.iterations).toBe(maxIterations);
      expect(r.converged).toBe(false);
      expect(sameBits(r.grid, serialHeat(plate).grid)).toBe(true);
    });
  }

  it("reports progress, ending with the final sweep count and max difference", async () => {
    const seen: Array<{ iteration: number; maxDiff: number; fraction: number }> = [];
    const r = await heat({ size: 40, top: 100, tolerance: 1e-4, workers: 2, pool, progressIntervalMs: 1, onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(last.iteration).toBe(r.iterations);
    expect(last.maxDiff).toBe(r.maxDiff);
    expect(last.fraction).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.iteration).toBeGreaterThanOrEqual(seen[i - 1]!.iteration);
  });
});

describe("heat: cancellation and failures", () => {
  it("rejects with AbortError when the signal aborts mid-solve, and the pool stays usable", async () => {
    const controller = new AbortController();
    const solving = heat({
      ...LONG, workers: 3, pool, signal: controller.signal,
      onProgress: (p) => { if (p.iteration > 0) controller.abort(); },
    });
    await expect(solving).rejects.toThrow(AbortError);
    await expectMatchesSerial({ size: 10, top: 1, tolerance: 1e-3, maxIterations: 1000 }, 3);
  });

  it("rejects when a worker waits at the barrier past barrierTimeoutMs, naming the timeout", async () => {
    const small = await createPool({ workers: 2 });
    try {
      // hold one of the two workers: it waits at a second barrier until the test releases it
      const blocker = new Barrier(small.alloc(Int32Array, BARRIER_WORDS)).init(2);
      const held = small.apply("barrierWait", [blocker.byteOffset, -1]);
      await expect(heat({ ...LONG, workers: 2, pool: small, barrierTimeoutMs: 50 }))
        .rejects.toThrow(/barrier.*barrierTimeoutMs = 50 ms/);
      expect(await blocker.waitAsync()).toBe(1); // arrival index: the held kernel arrived first
      expect(await held).toBe(0);
      const r = await heat({ size: 6, top: 10, tolerance: 1e-3, workers: 2, pool: small });
      expect(sameBits(r.grid, serialHeat({ size: 6, top: 10, tolerance: 1e-3, maxIterations: 100_000 }).grid)).toBe(true);
    } finally {
      await small.close();
    }
  });

  it("rejects with WorkerError when a worker dies mid-solve, and the pool stays usable", async () => {
    const small = await createPool({ workers: 2 });
    try {
      let killed = false;
      const solving = heat({
        ...LONG, workers: 2, pool: small,
        onProgress: () => {
          if (killed) return;
          killed = true;
          // what tinypool sees when a worker thread crashes: an 'error' event; it terminates
          // the thread, rejects its task and starts a replacement
          const threads = (small as unknown as { backend: { tinypool: { threads: Array<{ emit(e: string, err: Error): void }> } } }).backend.tinypool.threads;
          threads[0]!.emit("error", new Error("simulated crash"));
        },
      });
      await expect(solving).rejects.toThrow(WorkerError);
      await expect(solving).rejects.toThrow(/simulated crash/);
      const r = await heat({ size: 5, top: 10, tolerance: 1e-3, workers: 2, pool: small });
      expect(sameBits(r.grid, serialHeat({ size: 5, top: 10, tolerance: 1e-3, maxIterations: 100_000 }).grid)).toBe(true);
    } finally {
      await small.close();
    }
  });
});

describe("heat: bad input is rejected before any work", () => {
  const cases: Array<[string, Partial<HeatOptions>, RegExp]> = [
    ["N < 1", { size: 0 }, /^size must be an integer from 1/],
    ["a fractional N", { size: 2.5 }, /^size must be an integer/],
    ["tolerance 0", { size: 4, tolerance: 0 }, /^tolerance must be a finite number greater than 0/],
    ["a negative tolerance", { size: 4, tolerance: -1 }, /^tolerance must be/],
    ["a NaN tolerance", { size: 4, tolerance: NaN }, /^tolerance must be a finite number.*got NaN/],
    ["an edge array of the wrong length", { size: 4, top: [1, 2, 3] }, /^top must be a number or an array of size \+ 2 = 6 numbers; got an array of length 3/],
    ["NaN in an edge array", { size: 2, left: [0, 1, NaN, 3] }, /^left\[2\] must be a finite number/],
    ["an infinite edge value", { size: 2, right: Infinity }, /^right must be a finite number/],
    ["a NaN initial value", { size: 2, initial: NaN }, /^initial must be a finite number/],
    ["maxIterations 0", { size: 2, maxIterations: 0 }, /^maxIterations must be an integer from 1/],
    ["a non-positive barrier timeout", { size: 2, barrierTimeoutMs: 0 }, /^barrierTimeoutMs must be/],
    ["an unknown option", { size: 2, tolerence: 1 } as Partial<HeatOptions>, /tolerence/],
  ];
  for (const [what, options, message] of cases) {
    it(`rejects ${what}`, async () => {
      const solving = heat({ pool, ...options } as HeatOptions);
      await expect(solving).rejects.toThrow(InvalidArgumentError);
      await expect(solving).rejects.toThrow(message);
    });
  }

  it("leaves the pool as it was: nothing allocated, and the next solve gives the serial bits", async () => {
    const before = pool.arena.allocatedBytes;
    for (const [, options] of cases) await heat({ pool, ...options } as HeatOptions).catch(() => {});
    expect(pool.arena.allocatedBytes).toBe(before);
    for (const workers of [1, 2, 3]) await expectMatchesSerial({ size: 9, top: 100, tolerance: 1e-3, maxIterations: 1000 }, workers);
  });

  it("rejects grids beyond wasm32's 4 GiB with the bytes needed", async () => {
    const solving = heat({ size: 20_000 });
    await expect(solving).rejects.toThrow(MemoryLimitError);
    await expect(solving).rejects.toThrow(/6\.0 GiB \(6401280064 bytes\)/);
  });

  it("rejects grids beyond the pool's maxMemory with the bytes needed", async () => {
    const tiny = await createPool({ workers: 1, maxMemory: 1 << 20 });
    try {
      const solving = heat({ size: 400, pool: tiny });
      await expect(solving).rejects.toThrow(MemoryLimitError);
      await expect(solving).rejects.toThrow(/\(2585664 bytes\)/);
      const r = await heat({ size: 8, top: 100, tolerance: 1e-3, pool: tiny }); // still usable
      expect(sameBits(r.grid, serialHeat({ size: 8, top: 100, tolerance: 1e-3, maxIterations: 100_000 }).grid)).toBe(true);
    } finally {
      await tiny.close();
    }
  });
});
