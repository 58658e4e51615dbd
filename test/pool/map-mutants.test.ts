/**
 * map and imap (src/pool/map.ts, imap.ts) details a failed item makes visible: the default
 * chunk size (a failed item's KernelError names its part, item ÷ chunkSize) and the item a
 * later imap window's trap names (counted from the input's start). JS kernels in two workers;
 * expected parts and items are computed here from the documented chunk rule (about 8 parts per
 * worker, at most 16384 items a part).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelError, createPool, type Pool } from "../../dist/index.js";
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
