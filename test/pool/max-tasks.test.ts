/**
 * maxTasksPerWorker (Python's maxtasksperchild): a worker is replaced by a fresh one after that
 * many tasks (a call; each part of a map or range job), its initializer runs again, no result
 * changes, and a script that closes the pool exits.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, createPool } from "../../dist/index.js";
import { POOL_MODULE_FLAGS, ROOT, compileAs, compileCore } from "../helpers/asc.js";

const BEHAVIOUR = (): string => compileAs("test/pool/fixtures/behaviour.ts", POOL_MODULE_FLAGS);
const IDENTITY = join(ROOT, "test/pool/fixtures/identity.mjs");
const DIES_AFTER = join(ROOT, "test/pool/fixtures/dies-after.mjs");

describe("maxTasksPerWorker", () => {
  it("is an integer ≥ 1: anything else is an InvalidArgumentError naming it, before any worker starts", async () => {
    for (const bad of [0, -1, 1.5, "3", Number.NaN, Infinity, null]) {
      const e = await createPool({ workers: 1, maxTasksPerWorker: bad as never }).then(async (p) => { await p.close(); return undefined; }, (err: unknown) => err);
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as Error).message).toMatch(/^maxTasksPerWorker must be an integer from 1 to/);
    }
  });

  it("a JS worker's identity changes after every N calls, and the initializer runs once in each new worker", async () => {
    const pool = await createPool({ workers: 1, module: IDENTITY, initializer: "initialize", maxTasksPerWorker: 2 });
    try {
      const seen: number[] = [];
      for (let i = 0; i < 8; i++) seen.push(await pool.apply("whoAmI"));
      const threads = seen.map(Math.floor);
      // pairs: calls 2k and 2k+1 on one thread, a new thread for each pair
      for (let k = 0; k < 4; k++) expect(threads[2 * k + 1]).toBe(threads[2 * k]);
      expect(new Set(threads).size).toBe(4);
      for (const v of seen) expect(Math.round((v - Math.floor(v)) * 10)).toBe(1); // initialized once in each thread
      const stats = pool.stats();
      expect(stats.tasksRun).toBe(8);
      expect(stats.workersStarted).toBeGreaterThanOrEqual(4);
      for (const w of stats.perWorker) expect(w.tasksRun).toBeLessThanOrEqual(2);
    } finally {
      await pool.close();
    }
  });

  it("without it one worker runs every call (the test above would fail)", async () => {
    const pool = await createPool({ workers: 1, module: IDENTITY, initializer: "initialize" });
    try {
      const threads = new Set<number>();
      for (let i = 0; i < 8; i++) threads.add(Math.floor(await pool.apply("whoAmI")));
      expect(threads.size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("a wasm worker runs at most N calls, each replacement initialized: a kernel's own count never passes N", async () => {
    const pool = await createPool({ workers: 2, module: BEHAVIOUR(), initializer: "initialize", initArgs: [7], maxTasksPerWorker: 3 });
    try {
      const counts = await Promise.all(Array.from({ length: 12 }, () => pool.apply("countHere", [0])));
      for (const c of counts) expect(c).toBeGreaterThanOrEqual(1), expect(c).toBeLessThanOrEqual(3);
      const stats = pool.stats();
      expect(stats.tasksRun).toBe(12);
      for (const w of stats.perWorker) expect(w.tasksRun).toBeLessThanOrEqual(3);
      expect(stats.workersStarted).toBeGreaterThanOrEqual(4); // 12 tasks, 3 per worker
      expect(stats.workersReplaced).toBe(stats.workersStarted - 2);
      // the retired threads end and their replacements start: the pool's 2 alive, every other one ended
      const alive = (): number => pool.stats().perWorker.filter((w) => w.alive).length;
      const deadline = Date.now() + 10_000;
      while (alive() !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const settled = pool.stats();
      expect(settled.perWorker.filter((w) => w.alive).length).toBe(2);
      expect(settled.perWorker.filter((w) => !w.alive).length).toBe(settled.workersStarted - 2);
    } finally {
      await pool.close();
    }
  });

  it("counts each part of a map as a task (Python's chunks): a worker runs at most N parts, and the map finishes", async () => {
    const pool = await createPool({ workers: 2, module: BEHAVIOUR(), initializer: "initialize", initArgs: [1], maxTasksPerWorker: 3 });
    try {
      // chunkSize 2: a worker claims at most 3 parts, so runs countHere at most 6 times
      const counts = await pool.map("countHere", new Array(60).fill(0), { chunkSize: 2 });
      expect(counts.length).toBe(60);
      expect(Math.max(...counts)).toBeLessThanOrEqual(6);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
      // 30 parts, at most 3 per worker: at least 10 workers took part
      expect(pool.stats().workersStarted).toBeGreaterThanOrEqual(10);
    } finally {
      await pool.close();
    }
  });

  it("changes no result: map, mapReduce and apply give the same numbers as a pool without it", async () => {
    const items = Array.from({ length: 5000 }, (_, i) => i * 0.5);
    const plain = await createPool({ workers: 2, module: BEHAVIOUR() });
    const recycled = await createPool({ workers: 2, module: BEHAVIOUR(), maxTasksPerWorker: 1 });
    try {
      const expected = items.map((x) => 2 * x);
      expect(await plain.map("double", items, { chunkSize: 500 })).toEqual(expected);
      expect(await recycled.map("double", items, { chunkSize: 500 })).toEqual(expected);
      const range = [0, 100_000] as [number, number];
      const a = await plain.mapReduce("sumSquares", range, { chunkSize: 25_000 });
      const b = await recycled.mapReduce("sumSquares", range, { chunkSize: 25_000 });
      expect(Object.is(a, b)).toBe(true);
      expect(Math.abs(a / ((99_999 * 100_000 * 199_999) / 6) - 1)).toBeLessThan(1e-12);
      expect(await recycled.apply("double", [21])).toBe(42);
    } finally {
      await Promise.all([plain.close(), recycled.close()]);
    }
  });

  it("iterate lanes are one task each: back-to-back iterate calls on workers replaced after each lane finish with the right step", async () => {
    const pool = await createPool({ workers: 2, module: compileCore(), maxTasksPerWorker: 1 });
    try {
      for (let round = 0; round < 3; round++) {
        const r = await pool.iterate({ kernel: "decayStep", args: [1], lanes: 2, reduce: "max", until: { below: 1e-3 }, maxIterations: 100 });
        // max over 2 lanes = 2 · 2^−i; first i with 2 · 2^−i < 1e-3 is 11, and i + 1 steps ran
        expect(r).toMatchObject({ iterations: 12, value: 2 * 0.5 ** 11, converged: true, lanes: 2, backend: "workers" });
      }
      expect(pool.stats().workersStarted).toBeGreaterThanOrEqual(6);
    } finally {
      await pool.close();
    }
  });

  it("a worker that dies after its parts are done, its budget spent, costs the map nothing: the next lane, handed to it while it ends, runs again", async () => {
    // tinypool gives the queued lane to the ending worker and rejects it ("Terminating worker
    // thread") before it starts: that lane ran nothing and must not count as a second death
    // (before: "workers keep dying while running kernel idThenDie" in 5 of 6 runs)
    for (let run = 0; run < 4; run++) {
      const pool = await createPool({ workers: 1, module: DIES_AFTER, maxTasksPerWorker: 3 });
      try {
        expect(await pool.map("idThenDie", [0, 1, 2, 3, 4, 5], { chunkSize: 1 })).toEqual([0, 1, 2, 3, 4, 5]);
      } finally {
        await pool.close();
      }
    }
  });

  it("a script that uses a recycling pool and closes it exits by itself", () => {
    const dir = mkdtempSync(join(tmpdir(), "wasm-mp-max-tasks-"));
    const file = join(dir, "run.mjs");
    writeFileSync(file, `
      import { createPool } from ${JSON.stringify(join(ROOT, "dist/index.js"))};
      const pool = await createPool({ workers: 2, module: ${JSON.stringify(BEHAVIOUR())}, maxTasksPerWorker: 1 });
      const r = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.apply("double", [i])));
      const m = await pool.map("double", Array.from({ length: 100 }, (_, i) => i), { chunkSize: 10 });
      await pool.close();
      console.log(r.reduce((s, v) => s + v, 0), m.reduce((s, v) => s + v, 0));
    `);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`${2 * 190} ${2 * 4950}`);
    expect(r.status).toBe(0);
  });
});
