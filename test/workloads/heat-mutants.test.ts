/**
 * The heat plate's smaller promises, each pinned on small plates (seconds in all): the checks on
 * its options and their messages, the memory a solve takes and gives back, progress reports, and
 * the pieces heat.ts builds in the calling thread (heatGridBytes, the multigrid hierarchy and
 * V-cycle schedule, the red–black methods' context block). Written for mutation testing
 * (docs/testing.md): each test fails for some small bug the other heat tests let through.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, MemoryLimitError, createPool, heat, heatGridBytes, type HeatOptions, type HeatProgress, type Pool } from "../../dist/index.js";
import { Barrier, BARRIER_WORDS } from "../../dist/sync-entry.js";
import { FOLLOW, HC, LV, OP, latestMaxima, writeContext } from "../../dist/workloads/heat-context.js";
import { multigridSchedule, multigridSolve } from "../../dist/workloads/heat-multigrid.js";
import { levelSizes, plateOf, residualOf, serialSor, type Plate } from "./heat-reference.js";

/** A plain serial Jacobi solve: u' = 0.25·(((up + down) + left) + right) from the previous grid, until a sweep's largest change is below the tolerance. */
function serialJacobi(p: Plate): { grid: Float64Array; iterations: number } {
  const n = p.size;
  const w = n + 2;
  let u = plateOf(p);
  let next = u.slice();
  for (let k = 1; ; k++) {
    let change = 0;
    for (let r = 1; r <= n; r++) {
      for (let c = 1; c <= n; c++) {
        const i = r * w + c;
        next[i] = 0.25 * (u[i - w]! + u[i + w]! + u[i - 1]! + u[i + 1]!);
        change = Math.max(change, Math.abs(next[i]! - u[i]!));
      }
    }
    [u, next] = [next, u];
    if (change < p.tolerance || k >= p.maxIterations) return { grid: u, iterations: k };
  }
}

const SIX: Plate = { size: 6, top: 8, left: 3, tolerance: 1e-3, maxIterations: 100_000 };

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

/** What heat() rejects with: the error itself, or "resolved" when it solved. */
async function rejection(options: HeatOptions): Promise<unknown> {
  return heat(options).then(() => "resolved", (e: unknown) => e);
}

async function expectInvalid(options: HeatOptions, parameter: string, message: string): Promise<void> {
  const e = await rejection(options);
  expect(e).toBeInstanceOf(InvalidArgumentError);
  expect((e as InvalidArgumentError).parameter).toBe(parameter);
  expect((e as Error).message).toBe(message);
}

describe("heat: option checks name the parameter and what it allows", () => {
  it("rejects a size above 10⁶", async () => {
    await expectInvalid({ size: 1_000_001, pool }, "size", "size must be an integer from 1 to 1e6; got 1000001");
  });

  it("rejects barrierTimeoutMs past 2³¹ − 1 ms (what timers take) with its other options, before it allocates the plate", async () => {
    // a plate too large for this pool: were the limit checked only by pool.iterate, the grids' allocation would fail first
    const small = await createPool({ workers: 1, maxMemory: 1 << 20 });
    try {
      await expectInvalid({ size: 1000, barrierTimeoutMs: 2 ** 31, pool: small }, "barrierTimeoutMs",
        "barrierTimeoutMs must be a finite number greater than 0 and at most 2147483647; got 2147483648");
    } finally {
      await small.close();
    }
  });

  const edgeMessage = "top must be a number or an array of size + 2 = 6 numbers";
  it("rejects an edge given as a string, even one of size + 2 characters", async () => {
    await expectInvalid({ size: 4, top: "123456" as unknown as number, pool }, "top", `${edgeMessage}; got "123456"`);
  });

  it("rejects an edge given as null", async () => {
    await expectInvalid({ size: 4, top: null as unknown as number, pool }, "top", `${edgeMessage}; got null`);
  });

  it("rejects an edge given as a function, even one of size + 2 parameters", async () => {
    const f = (_a: number, _b: number, _c: number, _d: number, _e: number, _f: number): number => 0;
    const e = await rejection({ size: 4, top: f as unknown as number, pool });
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as Error).message.startsWith(`${edgeMessage}; got `)).toBe(true);
  });

  for (const name of ["top", "bottom", "left", "right"] as const) {
    it(`names the ${name} edge when it is not a number or an array`, async () => {
      await expectInvalid({ size: 2, [name]: "xy", pool }, name, `${name} must be a number or an array of size + 2 = 4 numbers; got "xy"`);
    });
  }

  it("takes an edge as any array-like object of size + 2 numbers", async () => {
    const top = { length: 4, 0: 1, 1: 2, 2: 3, 3: 4 };
    const r = await heat({ size: 2, top, tolerance: 1, maxIterations: 1, pool });
    expect(Array.from(r.grid.subarray(0, 4))).toEqual([1, 2, 3, 4]);
  });

  it("takes boundary and starting values up to ±1e300", async () => {
    const r = await heat({ size: 1, top: 1e300, bottom: -1e300, left: [0, -1e300, 0], initial: 1e300, maxIterations: 1, tolerance: 1e300, pool });
    expect([r.grid[0], r.grid[6], r.grid[3]]).toEqual([1e300, -1e300, -1e300]);
  });

  it("rejects a starting value beyond 1e300", async () => {
    await expectInvalid({ size: 2, initial: 1.1e300, pool }, "initial", "initial must be a finite number at least -1e+300 and at most 1e300; got 1.1e+300");
  });

  it("rejects an edge value beyond −1e300, naming its index", async () => {
    await expectInvalid({ size: 1, right: [0, -2e300, 0], pool }, "right[1]", "right[1] must be a finite number at least -1e+300 and at most 1e300; got -2e+300");
  });

  it("rejects maxIterations of 2³¹", async () => {
    await expectInvalid({ size: 2, maxIterations: 2 ** 31, pool }, "maxIterations", "maxIterations must be an integer from 1 to 2147483647; got 2147483648");
  });

  it("rejects a plate beyond wasm32's 4 GiB naming that limit, whatever the pool's maxMemory", async () => {
    const tiny = await createPool({ workers: 1, maxMemory: 1 << 20 });
    try {
      const jacobi = await rejection({ size: 20_000, pool: tiny });
      expect(jacobi).toBeInstanceOf(MemoryLimitError);
      expect((jacobi as Error).message).toBe("a 20000×20000 heat plate (two 20002×20002 grids of f64) needs 6.0 GiB (6401280064 bytes) " +
        "but the limit is 4.0 GiB (4294901760 bytes); raise maxMemory (at most 4 GiB) or ask for less");
      // 16384² cells of two grids: 4 GiB, just over the limit (4 GiB less one reserved 64 KiB page)
      const edge = await rejection({ size: 16_382, pool: tiny });
      expect(edge).toBeInstanceOf(MemoryLimitError);
      expect((edge as Error).message).toContain(`(${2 ** 32} bytes) but the limit is 4.0 GiB (4294901760 bytes)`);
      const sor = await rejection({ size: 30_000, method: "sor", pool: tiny });
      expect(sor).toBeInstanceOf(MemoryLimitError);
      expect((sor as Error).message.startsWith(`a 30000×30000 heat plate (sor) needs 6.7 GiB (${8 * 30_002 ** 2} bytes) but the limit is 4.0 GiB (4294901760 bytes)`)).toBe(true);
    } finally {
      await tiny.close();
    }
  });
});

describe("heat: defaults and result fields", () => {
  it("solves by Jacobi unless told", async () => {
    const r = await heat({ size: 3, top: 1, tolerance: 1e-2, pool });
    expect(r.method).toBe("jacobi");
  });

  for (const [method, total] of [["jacobi", 100_000], ["sor", 100_000], ["multigrid", 100]] as const) {
    it(`${method}: progress counts towards ${total} iterations unless told, and towards maxIterations when told`, async () => {
      const seen: HeatProgress[] = [];
      await heat({ size: 5, top: 1, tolerance: 1e-3, method, pool, onProgress: (p) => seen.push(p) });
      expect(seen.length).toBeGreaterThan(0);
      for (const p of seen) expect(p.total).toBe(total);
      const told: HeatProgress[] = [];
      await heat({ size: 5, top: 1, tolerance: 1e-3, method, maxIterations: 777, pool, onProgress: (p) => told.push(p) });
      for (const p of told) expect(p.total).toBe(777);
    });
  }

  it("reports one row block per worker: parts and chunkSize ⌈N / workers⌉", async () => {
    for (const [size, workers, chunk] of [[10, 3, 4], [9, 3, 3], [7, 2, 4], [5, 1, 5]] as const) {
      const r = await heat({ size, top: 1, tolerance: 1e-2, workers, pool });
      expect([r.workers, r.parts, r.chunkSize]).toEqual([workers, workers, chunk]);
    }
  });

  it("jacobi without shared memory solves in the calling thread with the serial bits", async () => {
    const isolated = await createPool({ workers: 2 });
    try {
      Object.defineProperty(isolated, "workersShareMemory", { get: () => false });
      const r = await heat({ ...SIX, workers: 2, pool: isolated });
      expect([r.backend, r.workers, r.chunkSize]).toEqual(["inline", 1, 6]);
      const want = serialJacobi(SIX);
      expect(r.iterations).toBe(want.iterations);
      expect(Array.from(r.grid)).toEqual(Array.from(want.grid));
    } finally {
      await isolated.close();
    }
  });

  it("returns its own copy of the grid, which later solves on the pool leave alone", async () => {
    const r = await heat({ ...SIX, workers: 2, pool });
    const want = serialJacobi(SIX).grid;
    await heat({ size: 6, top: -5, initial: 7, tolerance: 1e-3, workers: 2, pool });
    expect(Array.from(r.grid)).toEqual(Array.from(want));
  });

  for (const edge of ["bottom", "right"] as const) {
    it(`jacobi's residual counts the last ${edge === "bottom" ? "row" : "column"}, where a hot ${edge} edge puts it`, async () => {
      // one sweep from 0, edge 100: the cells along it become 25; next to the edge |Δh u| = |0 + 100 + 25 + 25 − 4·25|·10² = 5000, elsewhere at most 2500
      const plate = { size: 9, [edge]: 100, tolerance: 1e-300, maxIterations: 1 };
      const r = await heat({ ...plate, workers: 2, pool });
      expect(Array.from(r.grid)).toEqual(Array.from(serialJacobi(plate).grid));
      expect(r.residual).toBe(5000);
      expect(r.residual).toBe(residualOf(r.grid, 9));
    });
  }

  for (const method of ["jacobi", "sor", "multigrid"] as const) {
    it(`${method}: gives back all the memory it took once the solve returns`, async () => {
      const before = pool.arena.allocatedBytes;
      await heat({ size: 21, top: 1, tolerance: 1e-2, method, workers: 2, pool });
      expect(pool.arena.allocatedBytes).toBe(before);
    });
  }
});

describe("heat: progress reports", () => {
  /** The fraction heat reports: on a log scale from the first measure reported to the tolerance, or sweeps / maxIterations if further. */
  function expectFractions(seen: HeatProgress[], tolerance: number, maxIterations: number): void {
    const measure = (p: HeatProgress): number => p.residual ?? p.maxDiff;
    const first = measure(seen.find((p) => p.iteration > 0)!);
    for (const p of seen) {
      const towards = p.iteration === 0 ? 0 : first <= tolerance ? 1 : Math.log(first / measure(p)) / Math.log(first / tolerance);
      expect(p.fraction).toBe(Math.min(1, Math.max(0, towards, p.iteration / maxIterations)));
    }
  }

  for (const method of ["jacobi", "sor"] as const) {
    it(`${method}: each report's fraction is the log-scale way from the first reported measure to the tolerance`, async () => {
      const tolerance = method === "jacobi" ? 1e-3 : 1e-6;
      const seen: HeatProgress[] = [];
      // plates that take tens of milliseconds, so that 1 ms reports land midway on any machine
      // (SOR on N = 60 finished within the first report on a fast one)
      await heat({ size: method === "jacobi" ? 60 : 400, top: 100, tolerance, method, workers: 2, pool, progressIntervalMs: 1, onProgress: (p) => seen.push(p) });
      expectFractions(seen, tolerance, 100_000);
      // not vacuous: reports midway, neither 0 nor 1
      expect(seen.some((p) => p.fraction > 0 && p.fraction < 1)).toBe(true);
    });
  }

  it("reports fraction 1 for a solve done by its first sweep", async () => {
    const seen: HeatProgress[] = [];
    // N = 1, top 4: the one cell becomes 1 in sweep 1, then stays
    const r = await heat({ size: 1, top: 4, tolerance: 2, pool, onProgress: (p) => seen.push(p) });
    expect([r.iterations, r.converged]).toEqual([1, true]);
    expect(seen.at(-1)).toMatchObject({ iteration: 1, maxDiff: 1, fraction: 1 });
  });

  it("reports fraction 1 for a solve stopped by maxIterations with its change at the tolerance", async () => {
    const seen: HeatProgress[] = [];
    const r = await heat({ size: 1, top: 4, tolerance: 1, maxIterations: 1, pool, onProgress: (p) => seen.push(p) });
    expect([r.iterations, r.converged, r.maxDiff]).toEqual([1, false, 1]);
    expect(seen.at(-1)).toMatchObject({ iteration: 1, fraction: 1 });
  });

  it("jacobi's reports carry no residual", async () => {
    const seen: HeatProgress[] = [];
    await heat({ size: 4, top: 1, tolerance: 1e-3, pool, onProgress: (p) => seen.push(p) });
    for (const p of seen) expect(Object.keys(p).sort()).toEqual(["done", "fraction", "iteration", "maxDiff", "total"]);
  });

  for (const method of ["jacobi", "sor"] as const) {
    it(`${method}: a report before the first sweep has fraction 0 and an infinite max change`, async () => {
      // one of the two workers is held at another barrier, so the solve cannot finish a sweep
      // until the first report releases it
      const small = await createPool({ workers: 2 });
      try {
        const blocker = new Barrier(small.alloc(Int32Array, BARRIER_WORDS)).init(2);
        const held = small.apply("barrierWait", [blocker.byteOffset, -1]);
        const seen: HeatProgress[] = [];
        let releasing: Promise<number> | undefined;
        const r = await heat({
          ...SIX, method, workers: 2, pool: small, progressIntervalMs: 1,
          onProgress: (p) => { seen.push(p); releasing ??= blocker.waitAsync(); },
        });
        await releasing;
        await held;
        expect(seen[0]).toMatchObject({ iteration: 0, done: 0, fraction: 0, maxDiff: Infinity });
        if (method === "sor") expect(seen[0]!.residual).toBe(Infinity);
        expect(r.iterations).toBe(method === "sor" ? serialSor(SIX).iterations : serialJacobi(SIX).iterations);
      } finally {
        await small.close();
      }
    });
  }
});

describe("heatGridBytes: the shared memory a solve's grids take", () => {
  /** From its documentation: jacobi two (N+2)² grids of f64, sor one, multigrid two, then three per coarser level and two on the coarsest. */
  function gridBytes(n: number, method: "jacobi" | "sor" | "multigrid"): number {
    if (method !== "multigrid") return (method === "sor" ? 1 : 2) * 8 * (n + 2) ** 2;
    const sizes = levelSizes(n);
    return 8 * sizes.reduce((sum, m, l) => sum + (l === 0 || l === sizes.length - 1 ? 2 : 3) * (m + 2) ** 2, 0);
  }

  for (const n of [1, 2, 3, 4, 7, 8, 15, 100]) {
    it(`N = ${n}`, () => {
      expect(heatGridBytes(n)).toBe(gridBytes(n, "jacobi"));
      for (const method of ["jacobi", "sor", "multigrid"] as const) expect(heatGridBytes(n, method)).toBe(gridBytes(n, method));
    });
  }

  it("multigrid's grids are the ones heatGridBytes counts", () => {
    for (const [n, lanes] of [[7, 1], [20, 2], [100, 3]] as const) {
      const plate = pool.alloc(Float64Array, (n + 2) ** 2);
      plate.set(plateOf({ size: n, top: 1, tolerance: 1, maxIterations: 1 }));
      const solve = multigridSolve(pool, plate, n, lanes);
      try {
        const grids = solve.regions.filter((r) => r instanceof Float64Array);
        expect(plate.byteLength + grids.reduce((sum, g) => sum + g.byteLength, 0)).toBe(heatGridBytes(n, "multigrid"));
      } finally {
        for (const r of [...solve.regions, plate]) pool.free(r);
      }
    }
  });
});

describe("multigridSolve: memory", () => {
  it("gives back the grids it took when the context block does not fit", () => {
    const tiny = createPool({ workers: 1, maxMemory: 1 << 20 });
    return tiny.then(async (p) => {
      try {
        const n = 7;
        const plate = p.alloc(Float64Array, (n + 2) ** 2);
        const grids = heatGridBytes(n, "multigrid") - plate.byteLength;
        let failed = 0;
        // leave room for the grids but not always for the context block after them
        for (let room = grids + 4096; room >= grids; room -= 64) {
          const before = p.arena.allocatedBytes;
          const filler = p.alloc(Uint8Array, 0x100000 - 0x10000 - before - room - 64 * 8);
          const inUse = p.arena.allocatedBytes;
          try {
            const solve = multigridSolve(p, plate, n, 1);
            for (const r of solve.regions) p.free(r);
          } catch (e) {
            expect(e).toBeInstanceOf(MemoryLimitError);
            expect(p.arena.allocatedBytes).toBe(inUse);
            failed++;
          }
          p.free(filler);
        }
        expect(failed).toBeGreaterThan(0);
      } finally {
        await p.close();
      }
    });
  });
});

describe("multigridSchedule: the phases of one V(2,2) cycle", () => {
  type P = [number, number, number, number];
  /** A red–black sweep of level l: the one-pass part and the edge rows, then `follow` where there is one. */
  const sweep = (l: number, follow: number = FOLLOW.NONE, track = 0): P[] =>
    follow === FOLLOW.NONE ? [[OP.INNER, l, follow, track], [OP.EDGES, l, follow, track]]
      : [[OP.INNER, l, follow, track], [OP.EDGES, l, follow, track], [OP.FOLLOW, l, follow, track]];

  it("on one lane: 2 sweeps, restrict, the coarser cycle, prolong, 2 sweeps; 16 on the coarsest; the plate's last sweep tracked", () => {
    const want: P[] = [
      ...sweep(0), ...sweep(0, FOLLOW.RESTRICT), [OP.RESTRICT, 0, FOLLOW.NONE, 0],
      ...sweep(1), ...sweep(1, FOLLOW.RESTRICT), [OP.RESTRICT, 1, FOLLOW.NONE, 0],
      ...Array.from({ length: 16 }, () => sweep(2)).flat(),
      [OP.PROLONG, 1, FOLLOW.NONE, 0], ...sweep(1), ...sweep(1),
      [OP.PROLONG, 0, FOLLOW.NONE, 0], ...sweep(0), ...sweep(0, FOLLOW.RED_RESIDUAL, 1),
    ];
    expect(multigridSchedule([7, 3, 1], 1)).toEqual(want);
  });

  it("a plate of one level is 16 sweeps, the last tracked with the red residual", () => {
    expect(multigridSchedule([2], 1)).toEqual([...Array.from({ length: 15 }, () => sweep(0)).flat(), ...sweep(0, FOLLOW.RED_RESIDUAL, 1)]);
  });

  it("on several lanes, a level of fewer than 32 rows per lane and all below it are one serial phase", () => {
    // 63 < 64 rows on 2 lanes: the whole cycle
    expect(multigridSchedule(levelSizes(63), 2)).toEqual([[OP.SERIAL, 0, FOLLOW.NONE, 1]]);
    expect(multigridSchedule(levelSizes(95), 3)).toEqual([[OP.SERIAL, 0, FOLLOW.NONE, 1]]);
    // 64 rows on 2 lanes (96 on 3) are split; the next level, 31 (47), is serial
    for (const [n, lanes] of [[64, 2], [96, 3]] as const) {
      expect(multigridSchedule(levelSizes(n), lanes)).toEqual([
        ...sweep(0), ...sweep(0, FOLLOW.RESTRICT), [OP.RESTRICT, 0, FOLLOW.NONE, 0],
        [OP.SERIAL, 1, FOLLOW.NONE, 0],
        [OP.PROLONG, 0, FOLLOW.NONE, 0], ...sweep(0), ...sweep(0, FOLLOW.RED_RESIDUAL, 1),
      ]);
    }
  });

  it("on one lane no phase is serial, however small the level", () => {
    for (const n of [1, 5, 63, 100]) expect(multigridSchedule(levelSizes(n), 1).some(([op]) => op === OP.SERIAL)).toBe(false);
  });
});

describe("the red–black methods' context block", () => {
  it("SOR's block (one level, no schedule): header, one level record, two slot sets, no phases, no transfer tables", () => {
    const plate = pool.alloc(Float64Array, 7 ** 2);
    const lanes = 2;
    const ctl = writeContext(pool, [{ n: 5, u: plate }], lanes);
    try {
      const bytes = HC.LEVEL0 + HC.LEVEL_BYTES + 2 * lanes * HC.SLOT_BYTES;
      expect(ctl.byteLength).toBe(bytes);
      expect(ctl[HC.PHASES / 4]).toBe(0);
      expect(ctl[HC.TABLES / 4]).toBe(ctl.byteOffset + bytes);
      expect(ctl[HC.LEVELS / 4]).toBe(1);
      expect([ctl[(HC.LEVEL0 + LV.N) / 4], ctl[(HC.LEVEL0 + LV.U) / 4], ctl[(HC.LEVEL0 + LV.G) / 4], ctl[(HC.LEVEL0 + LV.T) / 4]]).toEqual([5, plate.byteOffset, 0, 0]);
    } finally {
      pool.free(ctl);
      pool.free(plate);
    }
  });

  it("latestMaxima: none before the first iteration", () => {
    const plate = pool.alloc(Float64Array, 5 ** 2);
    const ctl = writeContext(pool, [{ n: 3, u: plate }], 1);
    try {
      expect(latestMaxima(ctl, 1, 0)).toEqual({ iteration: 0, maxDiff: Infinity, residual: Infinity });
    } finally {
      pool.free(ctl);
      pool.free(plate);
    }
  });

  it("latestMaxima reads again from the started count when the lanes have moved past the iteration read", () => {
    const plate = pool.alloc(Float64Array, 5 ** 2);
    const lanes = 2;
    const ctl = writeContext(pool, [{ n: 3, u: plate }], lanes);
    try {
      const slots = new Float64Array(ctl.buffer, ctl[HC.SLOTS / 4]!, (2 * lanes * HC.SLOT_BYTES) / 8);
      const at = (set: number, lane: number, field: number): number => ((set * lanes + lane) * HC.SLOT_BYTES + field) / 8;
      // iteration 2 (set 0): residuals 1/16, 3/16, changes 5, 2; iteration 3 (set 1): residual 1/32 and 1/64, changes 1, 4
      slots[at(0, 0, 0)] = 1 / 16; slots[at(0, 1, 0)] = 3 / 16; slots[at(0, 0, 8)] = 5; slots[at(0, 1, 8)] = 2;
      slots[at(1, 0, 0)] = 1 / 32; slots[at(1, 1, 0)] = 1 / 64; slots[at(1, 0, 8)] = 1; slots[at(1, 1, 8)] = 4;
      Atomics.store(ctl, HC.STARTED / 4, 3);
      expect(latestMaxima(ctl, lanes, 3)).toEqual({ iteration: 3, maxDiff: 5, residual: 3 }); // (3/16)·(3+1)²
      // lane 0 has started iteration 4, which rewrites iteration 2's slots: read iteration 3's (set 1)
      Atomics.store(ctl, HC.STARTED / 4, 4);
      expect(latestMaxima(ctl, lanes, 3)).toEqual({ iteration: 4, maxDiff: 4, residual: 0.5 });
    } finally {
      pool.free(ctl);
      pool.free(plate);
    }
  });
});
