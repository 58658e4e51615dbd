/**
 * map's failure policy (Python's map runs every item and raises the first error): failFast true
 * (the default) ends the call at the first item that throws; failFast false runs every item, then
 * rejects with the KernelError of the first failed item in item order, listing every failed item.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, KernelError, createPool, type Pool } from "../../dist/index.js";
import { CRASH_HOST, POOL_MODULE_FLAGS, compileAs } from "../helpers/asc.js";

let pool: Pool;
let calls: Int32Array;

beforeAll(async () => {
  pool = await createPool({ workers: 2, module: compileAs("test/pool/fixtures/behaviour.ts", POOL_MODULE_FLAGS) });
  calls = pool.alloc(Int32Array, 1);
});

afterAll(async () => {
  await pool.close();
});

const N = 1000;
const EVERY = 97; // items 0, 97, 194, … throw
const items = (every = EVERY): number[][] => Array.from({ length: N }, (_, i) => [i, every, calls.byteOffset]);
const failedIndices = (every = EVERY): number[] => Array.from({ length: N }, (_, i) => i).filter((i) => i % every === 0);

async function rejection(p: Promise<unknown>): Promise<KernelError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(KernelError);
  return e as KernelError;
}

describe("map with failFast: false", () => {
  it("runs every item, then rejects with the first failed item's error and the list of failed items in item order", async () => {
    Atomics.store(calls, 0, 0);
    const e = await rejection(pool.map("doubleUnlessMultiple", items(), { chunkSize: 10, failFast: false }));
    expect(Atomics.load(calls, 0)).toBe(N); // every item ran, the failed ones included
    expect(e.failures!.map((f) => f.index)).toEqual(failedIndices());
    expect(e).toBe(e.failures![0]!.error); // the first in item order is the error itself
    expect(e.message).toMatch(/\(item 0\)$/);
    for (const f of e.failures!) {
      expect(f.error).toBeInstanceOf(KernelError);
      expect(f.error.kernel).toBe("doubleUnlessMultiple");
      expect(f.error.part).toBe(Math.floor(f.index / 10));
      expect(f.error.trap).toMatch(new RegExp(`unreachable.*\\(item ${f.index}\\)$`));
      expect((f.error.cause as Error).name).toBe("RuntimeError");
      expect(f.error.cause).toBeInstanceOf(WebAssembly.RuntimeError); // a built-in class comes back as itself, as a failFast trap's
    }
  });

  it("names as first the lowest failed index, whichever worker finished first (first failure late in the input)", async () => {
    const list = Array.from({ length: N }, (_, i) => [i + 1, 600, calls.byteOffset]); // items 599 and … fail
    const e = await rejection(pool.map("doubleUnlessMultiple", list, { chunkSize: 1, failFast: false }));
    expect(e.failures!.map((f) => f.index)).toEqual([599]);
    expect(e.message).toMatch(/\(item 599\)$/);
  });

  it("resolves with every result when no item throws (the same numbers as failFast: true)", async () => {
    const list = Array.from({ length: N }, (_, i) => [i + 1, 1e9, calls.byteOffset]);
    const expected = list.map(([x]) => 2 * x!);
    expect(await pool.map("doubleUnlessMultiple", list, { chunkSize: 7, failFast: false })).toEqual(expected);
    expect(await pool.map("doubleUnlessMultiple", list, { chunkSize: 7 })).toEqual(expected);
  });

  it("works in starmap too", async () => {
    Atomics.store(calls, 0, 0);
    const e = await rejection(pool.starmap("doubleUnlessMultiple", items(250), { chunkSize: 64, failFast: false }));
    expect(Atomics.load(calls, 0)).toBe(N);
    expect(e.failures!.map((f) => f.index)).toEqual([0, 250, 500, 750]);
  });

  it("leaves the pool usable and frees the call's memory", async () => {
    const before = pool.arena.allocatedBytes;
    await rejection(pool.map("doubleUnlessMultiple", items(), { failFast: false }));
    expect(pool.arena.allocatedBytes).toBe(before);
    expect(await pool.map("double", [1, 2, 3])).toEqual([2, 4, 6]);
  });
});

describe("map with failFast: false when a worker dies", () => {
  it("lists an item whose worker died after it threw, saying its reason was lost; the dead worker's unfinished part runs again", async () => {
    const p = await createPool({ workers: 1, module: compileAs("test/pool/fixtures/trap-then-crash.ts", POOL_MODULE_FLAGS), hostImports: CRASH_HOST });
    try {
      const flag = p.alloc(Int32Array, 1);
      // one worker, parts of 10 in order: item 3 throws (part 0, finished), item 25 ends the worker (part 2, run again)
      const list = Array.from({ length: 40 }, (_, i) => [i, 3, 25, flag]);
      const e = await rejection(p.map("trapThenCrash", list, { chunkSize: 10, failFast: false }));
      expect(flag[0]).toBe(1); // it did crash
      expect(e.failures!.map((f) => f.index)).toEqual([3]);
      expect(e.message).toBe("kernel trapThenCrash trapped in part 0: item 3 threw in a worker that died before it could say why");
    } finally {
      await p.close();
    }
  });
});

describe("map with failFast: true (the default)", () => {
  it("stops at the first throw: not every item runs, and the error lists no failures", async () => {
    Atomics.store(calls, 0, 0);
    // one worker, one part at a time: the parts after the failing one never run
    const e = await rejection(pool.map("doubleUnlessMultiple", items(), { chunkSize: 100, workers: 1 }));
    expect(Atomics.load(calls, 0)).toBe(1); // item 0 threw, nothing after it ran
    expect(e.failures).toBeUndefined();
  });

  it("failFast must be a boolean", async () => {
    await expect(pool.map("double", [1], { failFast: "no" as never })).rejects.toThrow(InvalidArgumentError);
    await expect(pool.map("double", [1], { failFast: "no" as never })).rejects.toThrow(/^failFast must be/);
  });
});

describe("imap and imapUnordered with failFast: false", () => {
  it("imap yields results in order up to the first failed item, then throws its error once every item has run", async () => {
    Atomics.store(calls, 0, 0);
    const list = Array.from({ length: N }, (_, i) => [i + 1, 300, calls.byteOffset]); // items 299, 599, 899 fail
    const got: number[] = [];
    let caught: unknown;
    try {
      for await (const r of pool.imap("doubleUnlessMultiple", list, { chunkSize: 10, failFast: false })) got.push(r);
    } catch (e) {
      caught = e;
    }
    expect(got).toEqual(Array.from({ length: 299 }, (_, i) => 2 * (i + 1)));
    expect(Atomics.load(calls, 0)).toBe(N);
    expect(caught).toBeInstanceOf(KernelError);
    expect((caught as KernelError).failures!.map((f) => f.index)).toEqual([299, 599, 899]);
  });

  it("imapUnordered yields every item that did not throw, then throws the first failed item's error", async () => {
    const list = Array.from({ length: N }, (_, i) => [i + 1, 300, calls.byteOffset]);
    const got = new Map<number, number>();
    let caught: unknown;
    try {
      for await (const [i, r] of pool.imapUnordered("doubleUnlessMultiple", list, { chunkSize: 10, failFast: false })) got.set(i, r);
    } catch (e) {
      caught = e;
    }
    expect([...got.keys()].sort((a, b) => a - b)).toEqual(list.map((_, i) => i).filter((i) => ![299, 599, 899].includes(i)));
    for (const [i, r] of got) expect(r).toBe(2 * (i + 1));
    expect((caught as KernelError).failures!.map((f) => f.index)).toEqual([299, 599, 899]);
  });
});
