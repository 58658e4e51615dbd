import { setFlagsFromString } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../dist/index.js";
import type { SharedArena } from "../../dist/memory/arena.js";
import { likelyDoubles } from "../../dist/pool/item-packing.js";
import { compileExample } from "../helpers/asc.js";

// V8's own view of an array's elements kind, to see that a map leaves the caller's arrays as they were
setFlagsFromString("--allow-natives-syntax");
const holdsSmallIntegers = new Function("a", "return %HasSmiElements(a)") as (a: unknown[]) => boolean;
const holdsDoubles = new Function("a", "return %HasDoubleElements(a)") as (a: unknown[]) => boolean;

function sumSquares(start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += i * i;
  return s;
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 2, module: compileExample() }); });
afterAll(async () => { await pool.close(); });

/**
 * Many maps of whole and of fractional argument lists, so that the packing code is optimized for
 * both. Each kind from a literal of its own: V8 creates every later array of a literal that once
 * held a fraction as an array of doubles, whole numbers included.
 */
async function packBothKinds(): Promise<void> {
  for (let i = 0; i < 24; i++) {
    await pool.map("sumSquares", i % 2 === 0
      ? Array.from({ length: 4096 }, (_, k) => [k, k + 3])
      : Array.from({ length: 4096 }, (_, k) => [k + 0.25, k + 3]));
  }
}

describe("packing a map's items", () => {
  it("leaves a caller's array of small integers one of small integers, in a first map and after maps of fractional items", async () => {
    const mapFresh = async (): Promise<void> => {
      const items = Array.from({ length: 4096 }, (_, i) => (i % 16) + 1);
      expect(holdsSmallIntegers(items)).toBe(true);
      const out = await pool.map("collatzSteps", items);
      expect(holdsSmallIntegers(items)).toBe(true);
      expect(out[5]).toBe(8); // collatz(6): 6 3 10 5 16 8 4 2 1
    };
    await mapFresh(); // the pool's first map: its warm-up packed both kinds
    for (let round = 0; round < 12; round++) {
      await pool.map("collatzSteps", round % 2 ? Array.from({ length: 4096 }, (_, i) => i + 1.5) : Array.from({ length: 4096 }, (_, i) => i + 1));
    }
    await mapFresh();
  });

  it("leaves each argument list of small integers one of small integers", async () => {
    await packBothKinds();
    for (const call of ["map", "starmap", "map"] as const) {
      const items = Array.from({ length: 4096 }, (_, i) => [i, i + 2]);
      const out = await pool[call]("sumSquares", items);
      expect(items.every((tuple) => holdsSmallIntegers(tuple))).toBe(true);
      expect(out).toEqual(items.map(([a, b]) => sumSquares(a!, b!)));
    }
  });

  it("packs fractional items and argument lists exactly, and leaves them doubles", async () => {
    const items = Array.from({ length: 5000 }, (_, i) => [i / 8 + 1 / 16, i / 8 + 3]);
    expect(await pool.starmap("sumSquares", items)).toEqual(items.map(([a, b]) => sumSquares(a!, b!)));
    expect(items.every((tuple) => holdsDoubles(tuple))).toBe(true);
    // a list that starts with whole numbers and holds fractions later
    const mixed = Array.from({ length: 5000 }, (_, i) => (i < 2500 ? [i, i + 1] : [i + 0.5, i + 1.5]));
    expect(await pool.starmap("sumSquares", mixed)).toEqual(mixed.map(([a, b]) => sumSquares(a!, b!)));
  });
});

describe("likelyDoubles (which copy of a packing loop reads an array)", () => {
  it("says no for small integers and for values that are not numbers", () => {
    expect(likelyDoubles([1, 2, 3], false)).toBe(false);
    expect(likelyDoubles([], false)).toBe(false);
    expect(likelyDoubles([-(2 ** 30), 2 ** 30 - 1], false)).toBe(false);
    expect(likelyDoubles(["a", {}, null], false)).toBe(false);
    expect(likelyDoubles([[1, 2], [3, 4]], true)).toBe(false);
  });

  it("says yes when a sampled number is not a small integer: a fraction, -0, or beyond 30 bits", () => {
    expect(likelyDoubles([0.5], false)).toBe(true);
    expect(likelyDoubles([-0], false)).toBe(true);
    expect(likelyDoubles([2 ** 30], false)).toBe(true);
    expect(likelyDoubles([-(2 ** 30) - 1], false)).toBe(true);
    expect(likelyDoubles([NaN], false)).toBe(true);
    expect(likelyDoubles([[1, 2.5]], true)).toBe(true);
  });

  it("reads every item of a short list", () => {
    expect(likelyDoubles([1, 0.5], false)).toBe(true);
    expect(likelyDoubles([1, 2, 3, 0.5], false)).toBe(true);
    expect(likelyDoubles([[1, 2], [3, 0.5]], true)).toBe(true);
  });

  it("samples the first, the last and items between, not only the first", () => {
    const n = 1001;
    const at = (k: number): number[] => Array.from({ length: n }, (_, i) => (i === k ? 0.5 : i));
    expect(likelyDoubles(at(0), false)).toBe(true);
    expect(likelyDoubles(at(500), false)).toBe(true);
    expect(likelyDoubles(at(n - 1), false)).toBe(true);
    expect(likelyDoubles(at(1), false)).toBe(false); // between samples: the other copy then reads it, as correctly
    expect(likelyDoubles(Array.from({ length: n }, (_, i) => [i, i === n - 1 ? 0.5 : 1]), true)).toBe(true);
  });
});

describe("each packing loop's errors, and what a packing error leaves", () => {
  const arena = (): SharedArena => (pool as unknown as { arena: SharedArena }).arena;

  it("names a bad item in a list of small integers and in a list of doubles the same way", async () => {
    await expect(pool.map("collatzSteps", [1, 2, "3"] as never)).rejects.toThrow(/^argsList\[2\] must be a number, a typed array allocated by this pool/);
    await expect(pool.map("collatzSteps", [0.5, 1.5, "3"] as never)).rejects.toThrow(/^argsList\[2\] must be a number, a typed array allocated by this pool/);
    await expect(pool.map("collatzSteps", [0.5, 1.5, [3]] as never)).rejects.toThrow(/^argsList\[2\] must be a number, like argsList\[0\] \(items are all numbers or all argument lists\)/);
  });

  it("names a later item that is not an argument list, in lists of integers and of doubles", async () => {
    await expect(pool.map("sumSquares", [[1, 2], [3, 4], 5] as never)).rejects.toThrow(/^argsList\[2\] must be an array of arguments, like argsList\[0\]; got 5/);
    await expect(pool.map("sumSquares", [[0.5, 2], [3.5, 4], 5] as never)).rejects.toThrow(/^argsList\[2\] must be an array of arguments, like argsList\[0\]; got 5/);
    await expect(pool.starmap("sumSquares", [[0.5, 2], 5] as never)).rejects.toThrow(/^argsList\[1\] must be an array of arguments \(starmap spreads every item\); got 5/);
    await expect(pool.map("sumSquares", [[0.5, 2], [1.5]])).rejects.toThrow(/^argsList\[1\] must be a list of 2 arguments, like argsList\[0\]/);
    await expect(pool.map("sumSquares", [[0.5, 2], [1.5, "x"]] as never)).rejects.toThrow(/^argsList\[1\]\[1\] must be a number/);
    await expect(pool.map("sumSquares", [[1, 2], [3, "x"]] as never)).rejects.toThrow(/^argsList\[1\]\[1\] must be a number/);
  });

  it("names a non-iterable argsList with what it takes", async () => {
    await expect(pool.map("collatzSteps", 5 as never)).rejects.toThrow(/^argsList must be an array \(or iterable\) of argument lists or numbers; got 5/);
    await expect(pool.map("collatzSteps", null as never)).rejects.toThrow(/^argsList must be an array \(or iterable\) of argument lists or numbers; got null/);
  });

  it("takes a chunkSize up to 2^31 - 1 and refuses 2^31, naming it", async () => {
    expect(await pool.map("collatzSteps", [6, 7], { chunkSize: 2 ** 31 - 1 })).toEqual([8, 16]);
    await expect(pool.map("collatzSteps", [6, 7], { chunkSize: 2 ** 31 })).rejects.toThrow(/^chunkSize must be an integer from 1 to 2147483647/);
  });

  it("frees the call's arguments, results and failed flags when an item cannot be packed", async () => {
    const before = arena().allocatedBytes;
    const late = Array.from({ length: 5000 }, (_, i) => (i === 4999 ? "x" : i + 0.5));
    await expect(pool.map("collatzSteps", late as never, { failFast: false })).rejects.toThrow(/^argsList\[4999\] must be a number/);
    await expect(pool.starmap("sumSquares", Array.from({ length: 5000 }, (_, i) => (i === 4999 ? [1] : [i, i + 1])), { failFast: false })).rejects.toThrow(/^argsList\[4999\] must be a list of 2 arguments/);
    expect(arena().allocatedBytes).toBe(before);
    expect(await pool.map("collatzSteps", [6, 7])).toEqual([8, 16]);
  });
});
