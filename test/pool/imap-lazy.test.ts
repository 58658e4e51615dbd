/**
 * imap and imapUnordered over lazy iterables (docs/pool.md, "imap over lazy iterables"): items
 * are pulled `lookAhead` at a time with at most 2·lookAhead pulled ahead of the consumer, the
 * results of items pulled before the iterable's own exception are yielded before it, and an
 * infinite generator works with break.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, createPool, type Pool } from "../../dist/index.js";
import { POOL_MODULE_FLAGS, ROOT, compileAs } from "../helpers/asc.js";

const BEHAVIOUR = (): string => compileAs("test/pool/fixtures/behaviour.ts", POOL_MODULE_FLAGS);
let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 2, module: BEHAVIOUR() }); });
afterAll(async () => { await pool.close(); });

/** 0, 1, 2, … counting what was pulled; throws past `limit` (an input drained far ahead fails instead of hanging). */
function counting(limit = 100_000): { items: Generator<number>; pulled: () => number; closed: () => boolean } {
  let n = 0;
  let closed = false;
  const items = (function* () {
    try {
      for (;;) {
        if (n >= limit) throw new Error(`the input was drained past ${limit} items`);
        yield n++;
      }
    } finally {
      closed = true;
    }
  })();
  return { items, pulled: () => n, closed: () => closed };
}

describe("imap over a generator", () => {
  it("gives map's results, in order, for a finite generator", async () => {
    const n = 5000;
    const got: number[] = [];
    for await (const r of pool.imap("double", (function* () { for (let i = 0; i < n; i++) yield i * 0.25; })(), { lookAhead: 700 })) got.push(r);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => 2 * i * 0.25));
  });

  it("pulls at most 2·lookAhead items ahead of the results taken", async () => {
    const L = 100;
    const source = counting();
    let taken = 0;
    for await (const r of pool.imap("double", source.items, { lookAhead: L, chunkSize: 10 })) {
      expect(r).toBe(2 * taken);
      taken++;
      // the window of the results being taken, and one more
      expect(source.pulled()).toBeLessThanOrEqual((Math.floor((taken - 1) / L) + 2) * L);
      if (taken === 350) break;
    }
    expect(source.pulled()).toBeLessThanOrEqual(500);
    expect(source.closed()).toBe(true); // break called the generator's return()
  });

  it("an infinite generator works with break: the rest is cancelled, its memory freed, and the pool stays usable", async () => {
    const before = pool.arena.allocatedBytes;
    const source = counting();
    let taken = 0;
    for await (const r of pool.imapUnordered("double", source.items)) {
      expect(r[1]).toBe(2 * r[0]);
      if (++taken === 25) break;
    }
    expect(source.closed()).toBe(true);
    expect(source.pulled()).toBeLessThanOrEqual(2 * 1024); // the default lookAhead
    expect(pool.arena.allocatedBytes).toBe(before);
    expect(await pool.map("double", [1, 2, 3])).toEqual([2, 4, 6]);
  });

  it("yields every result of the items pulled before the iterable's own exception, then throws it", async () => {
    const broke = new Error("source broke");
    const items = (function* () {
      for (let i = 0; i < 250; i++) yield i;
      throw broke;
    })();
    const got: number[] = [];
    let caught: unknown;
    try {
      for await (const r of pool.imap("double", items, { lookAhead: 100 })) got.push(r);
    } catch (e) {
      caught = e;
    }
    expect(got).toEqual(Array.from({ length: 250 }, (_, i) => 2 * i));
    expect(caught).toBe(broke);
  });

  it("imapUnordered yields each index once, with its result, then the iterable's exception", async () => {
    const broke = new RangeError("no more");
    const items = (function* () {
      for (let i = 0; i < 333; i++) yield i;
      throw broke;
    })();
    const seen = new Map<number, number>();
    await expect((async () => {
      for await (const [i, r] of pool.imapUnordered("double", items, { lookAhead: 64, chunkSize: 4 })) {
        expect(seen.has(i)).toBe(false);
        seen.set(i, r);
      }
    })()).rejects.toBe(broke);
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 333 }, (_, i) => i));
    for (const [i, r] of seen) expect(r).toBe(2 * i);
  });

  it("with failFast: false, failed items across windows are listed by their index in the input", async () => {
    const calls = pool.alloc(Int32Array, 1);
    const items = (function* () { for (let i = 0; i < 300; i++) yield [i + 1, 100, calls.byteOffset]; })();
    const seen: number[] = [];
    let caught: unknown;
    try {
      for await (const [i] of pool.imapUnordered("doubleUnlessMultiple", items, { lookAhead: 64, failFast: false })) seen.push(i);
    } catch (e) {
      caught = e;
    }
    const failures = (caught as { failures: Array<{ index: number; error: Error }> }).failures;
    expect(failures.map((f) => f.index)).toEqual([99, 199, 299]);
    expect(failures.map((f) => f.error.message.endsWith(`(item ${f.index})`))).toEqual([true, true, true]);
    expect(seen.length).toBe(297);
    expect(Atomics.load(calls, 0)).toBe(300);
    pool.free(calls);
  });

  it("takes async iterables, pulled as lazily", async () => {
    let pulled = 0;
    async function* slow(): AsyncGenerator<number[]> {
      for (let i = 0; i < 300; i++) {
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
        pulled++;
        yield [i];
      }
    }
    const got: number[] = [];
    for await (const r of pool.imap("double", slow(), { lookAhead: 50 })) {
      got.push(r);
      expect(pulled).toBeLessThanOrEqual((Math.floor((got.length - 1) / 50) + 2) * 50);
    }
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => 2 * i));
  });

  it("checks its input: a non-iterable, a lookAhead out of range, and an item of another form in a later window, named by its index", async () => {
    await expect(pool.imap("double", 42 as never).next()).rejects.toThrow(/^argsList must be an array, an iterable or an async iterable/);
    await expect(pool.imap("double", [1], { lookAhead: 0 }).next()).rejects.toThrow(InvalidArgumentError);
    await expect(pool.imap("double", [1], { lookAhead: 2 ** 30 }).next()).rejects.toThrow(/^lookAhead must be an integer from 1 to/);
    const items = (function* () { for (let i = 0; i < 20; i++) yield i; yield [20]; })();
    const got: number[] = [];
    await expect((async () => { for await (const r of pool.imap("double", items as Iterable<number>, { lookAhead: 10 })) got.push(r); })())
      .rejects.toThrow(/^argsList\[20\] must be a number, like argsList\[0\]/);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
  });
});

describe("a script with an infinite imap", () => {
  it("breaks out, closes the pool and exits by itself", () => {
    const file = join(mkdtempSync(join(tmpdir(), "wasm-mp-imap-")), "run.mjs");
    writeFileSync(file, `
      import { createPool } from ${JSON.stringify(join(ROOT, "dist/index.js"))};
      const pool = await createPool({ workers: 2, module: ${JSON.stringify(BEHAVIOUR())} });
      function* naturals() { for (let i = 0; ; i++) yield i; }
      let sum = 0, n = 0;
      for await (const r of pool.imap("double", naturals(), { lookAhead: 64 })) { sum += r; if (++n === 1000) break; }
      await pool.close();
      console.log(sum);
    `);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(String(2 * (999 * 1000) / 2));
    expect(r.status).toBe(0);
  });
});
