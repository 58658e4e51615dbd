/**
 * map and imap (src/pool/map.ts, imap.ts) details a failed item makes visible: the default
 * chunk size (a failed item's KernelError names its part, item ÷ chunkSize) and the item a
 * later imap window's trap names (counted from the input's start). JS kernels in two workers;
 * expected parts and items are computed here from the documented chunk rule (about 8 parts per
 * worker, at most 16384 items a part). And imap's input: what it refuses, and when it calls the
 * iterator's return().
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, KernelError, createPool, type Pool } from "../../dist/index.js";
import { within } from "../helpers/deadline.js";

let dir: string;
let pool: Pool;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "map-mutants-"));
  const module = join(dir, "kernels.mjs");
  writeFileSync(module, [
    "// 2·x, but item x === bad throws",
    "export function failAt(x, bad) { if (x === bad) throw new Error(`bad ${x}`); return 2 * x; }",
  ].join("\n"));
  pool = await createPool({ workers: 2, module });
});
afterAll(async () => {
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>, who: string): Promise<KernelError> {
  const e = await within(p.then(() => "resolved", (err: unknown) => err), who);
  expect(e).toBeInstanceOf(KernelError);
  return e as KernelError;
}

const items = (n: number, bad: number): number[][] => Array.from({ length: n }, (_, i) => [i, bad]);

describe("map's default chunk size, seen in a failed item's part", () => {
  it("about 8 parts per worker: 1000 items on 2 workers are parts of ⌈1000/16⌉ = 63", async () => {
    const e = await rejection(pool.map("failAt", items(1000, 500), { failFast: false }), "map of 1000 items");
    expect(e.part).toBe(Math.floor(500 / 63));
    expect(e.failures!.map((f) => f.index)).toEqual([500]);
  });

  it("workers: 1 makes parts of ⌈1000/8⌉ = 125", async () => {
    const e = await rejection(pool.map("failAt", items(1000, 500), { failFast: false, workers: 1 }), "map of 1000 items on 1 worker");
    expect(e.part).toBe(Math.floor(500 / 125));
  });

  it("at most 16384 items a part: 300 000 items on 2 workers", async () => {
    const e = await rejection(pool.map("failAt", items(300_000, 17_000), { failFast: false }), "map of 300 000 items");
    expect(e.part).toBe(1);
  });

  it("a chunkSize given is used as it is", async () => {
    const e = await rejection(pool.map("failAt", items(100, 50), { failFast: false, chunkSize: 7 }), "map with chunkSize 7");
    expect(e.part).toBe(7);
  });
});

describe("a trap in a later imap window", () => {
  function* lazy(n: number, bad: number): Generator<number[]> {
    for (let i = 0; i < n; i++) yield [i, bad];
  }

  it("names the item by its index in the input", async () => {
    const run = (async () => { for await (const _ of pool.imap("failAt", lazy(12, 6), { lookAhead: 4, chunkSize: 2 })) { /* drain */ } })();
    const e = await rejection(run, "imap over 12 items");
    // window 1 holds items 4..7: item 6 is its third, in its part 1
    expect(e.message).toBe("kernel failAt trapped in part 1: bad 6 (item 6)");
  });

  it("with failFast: false, its failure's error names the item by its index in the input", async () => {
    const run = (async () => { for await (const _ of pool.imap("failAt", lazy(12, 9), { lookAhead: 4, chunkSize: 2, failFast: false })) { /* drain */ } })();
    const e = await rejection(run, "imap over 12 items, failFast: false");
    expect(e.failures!.map((f) => [f.index, f.error.trap])).toEqual([[9, "bad 9 (item 9)"]]);
  });
});

describe("imap's input", () => {
  /** An iterator over 0 … n − 1 (as [i, −1] items) that counts its return() calls; `fail`: next() throws at that index. */
  function iterable(n: number, options: { fail?: number; returnThrows?: boolean } = {}) {
    const seen = { returns: 0 };
    let i = 0;
    const it: Iterator<number[]> & Iterable<number[]> = {
      next() {
        if (i === options.fail) throw new Error(`next failed at ${i}`);
        return i < n ? { value: [i++, -1], done: false } : { value: undefined, done: true };
      },
      return() {
        seen.returns++;
        if (options.returnThrows) throw new Error("return failed");
        return { value: undefined, done: true };
      },
      [Symbol.iterator]() { return it; },
    };
    return { it, seen };
  }

  it("refuses null and a string, which are not iterables of items", async () => {
    for (const bad of [null, "abc"]) {
      const e = await pool.imap("failAt", bad as never).next().then(() => "resolved", (err: unknown) => err);
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as Error).message).toMatch(/^argsList must be an array, an iterable or an async iterable of argument lists or numbers; got /);
    }
  });

  it("does not call return() of an iterator that ended", async () => {
    const { it: items, seen } = iterable(10);
    const got: number[] = [];
    for await (const r of pool.imap("failAt", items, { lookAhead: 4 })) got.push(r);
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => 2 * i));
    expect(seen.returns).toBe(0);
  });

  it("calls return() once on a break, and a return() that throws is not what the loop hears", async () => {
    const { it: items, seen } = iterable(1000, { returnThrows: true });
    let n = 0;
    for await (const _ of pool.imap("failAt", items, { lookAhead: 4 })) if (++n === 5) break;
    expect([n, seen.returns]).toEqual([5, 1]);
  });

  it("does not call return() of an iterator whose next() threw, and throws its error after the items before it", async () => {
    const { it: items, seen } = iterable(1000, { fail: 6 });
    const got: number[] = [];
    const e = await (async () => { for await (const r of pool.imap("failAt", items, { lookAhead: 4 })) got.push(r); })().then(() => "resolved", (err: unknown) => err);
    expect((e as Error).message).toBe("next failed at 6");
    expect(got).toEqual([0, 2, 4, 6, 8, 10]);
    expect(seen.returns).toBe(0);
  });
});
