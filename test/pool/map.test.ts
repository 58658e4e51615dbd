import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, AbortError, InvalidArgumentError, type Pool, type Progress } from "../../dist/index.js";
import { compileExample } from "../helpers/asc.js";

/** Collatz steps from n down to 1, written here independently of the kernel. */
function collatz(n: number): number {
  let steps = 0;
  for (let x = n; x > 1; steps++) x = x % 2 === 0 ? x / 2 : 3 * x + 1;
  return steps;
}

function sumSquares(start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += i * i;
  return s;
}

let wasm: string;
const pools = new Map<number, Pool>();
beforeAll(async () => {
  wasm = compileExample();
  for (const workers of [1, 2, 3]) pools.set(workers, await createPool({ workers, module: wasm }));
});
afterAll(async () => { for (const p of pools.values()) await p.close(); });
const pool = (workers = 2): Pool => pools.get(workers)!;

describe("map", () => {
  it("calls kernel(item) for number items, results in input order", async () => {
    const items = Array.from({ length: 3000 }, (_, i) => i + 1);
    expect(await pool().map("collatzSteps", items)).toEqual(items.map(collatz));
  });

  it("calls kernel(...item) for array items", async () => {
    const items = [[0, 10], [5, 6], [100, 200], [7, 7]];
    expect(await pool().map("sumSquares", items)).toEqual(items.map(([a, b]) => sumSquares(a!, b!)));
  });

  it("takes any iterable of items", async () => {
    function* numbers(): Generator<number> { for (let i = 1; i <= 50; i++) yield i; }
    expect(await pool().map("collatzSteps", numbers())).toEqual(Array.from(numbers(), collatz));
    expect(await pool().map("collatzSteps", new Float64Array([27, 97]))).toEqual([111, 118]);
  });

  it("gives the same results for 1, 2, 3 workers and any chunk size", async () => {
    const items = Array.from({ length: 10_007 }, (_, i) => 1 + ((i * 7919) % 100_000));
    const expected = items.map(collatz);
    for (const workers of [1, 2, 3]) {
      for (const chunkSize of [1, 37, 10_007, undefined]) {
        expect(await pool(workers).map("collatzSteps", items, { chunkSize })).toEqual(expected);
      }
    }
  });

  it("handles 10^5 tiny items in one call", async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const results = await pool().map("collatzSteps", items);
    expect(results.length).toBe(100_000);
    expect(results[77_030]).toBe(350); // the longest chain below 10^5
    expect(results[26]).toBe(111);
  });

  it("returns an empty array for no items", async () => {
    expect(await pool().map("collatzSteps", [])).toEqual([]);
  });

  it("gives NaN for a kernel that returns nothing, after running it", async () => {
    const x = pool().alloc(Float64Array, 4);
    x.set([1, 2, 3, 4]);
    expect(await pool().map("scale", [[x, 4, 2]])).toEqual([NaN]);
    expect(Array.from(x)).toEqual([2, 4, 6, 8]);
    pool().free(x);
  });

  it("reports progress in items, ending at the total", async () => {
    const seen: Progress[] = [];
    await pool().map("collatzSteps", Array.from({ length: 1000 }, (_, i) => i + 1), { chunkSize: 10, onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    expect(seen.at(-1)).toEqual({ done: 1000, total: 1000, fraction: 1 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
  });

  it("rejects with an AbortError when aborted midway", async () => {
    const c = new AbortController();
    const items = Array.from({ length: 500 }, () => [0, 2e6]);
    const call = pool().map("sumSquares", items, { chunkSize: 1, signal: c.signal, progressIntervalMs: 0, onProgress: () => c.abort() });
    await expect(call).rejects.toThrow(AbortError);
    expect(await pool().map("collatzSteps", [27])).toEqual([111]); // still usable
  });

  it("rejects items of mixed forms, naming the first bad one", async () => {
    await expect(pool().map("collatzSteps", [1, 2, [3]] as never)).rejects.toThrow(/^argsList\[2\] must be a number, like argsList\[0\]/);
    await expect(pool().map("sumSquares", [[1, 2], [1, 2, 3]])).rejects.toThrow(/^argsList\[1\] must be a list of 2 arguments/);
    await expect(pool().map("collatzSteps", [1, "2"] as never)).rejects.toThrow(/^argsList\[1\] must be a number/);
  });

  it("rejects bad options before any work starts", async () => {
    await expect(pool().map("collatzSteps", [1], { chunkSize: 0 })).rejects.toThrow(/^chunkSize must be an integer from 1/);
    await expect(pool().map("collatzSteps", [1], { chunksize: 4 } as never)).rejects.toThrow(InvalidArgumentError);
    await expect(pool().map("collatzSteps", [1], { workers: 3 })).rejects.toThrow(/^workers must be an integer from 1 to 2/);
    await expect(pool().map("collatzSteps", 5 as never)).rejects.toThrow(/^argsList must be an array/);
    await expect(pool().map("collatz", [1])).rejects.toThrow(/^kernel must be a function the module exports \(sumSquares, collatzSteps/);
  });
});

describe("starmap", () => {
  it("spreads every item", async () => {
    expect(await pool().starmap("sumSquares", [[0, 4], [3, 5]])).toEqual([14, 25]);
    expect(await pool().starmap("collatzSteps", [[6], [7]])).toEqual([8, 16]);
  });

  it("rejects an item that is not an array", async () => {
    await expect(pool().starmap("collatzSteps", [[6], 7] as never)).rejects.toThrow(/^argsList\[1\] must be an array of arguments \(starmap spreads every item\)/);
  });
});

describe("imap", () => {
  it("yields every result in input order", async () => {
    const items = Array.from({ length: 2000 }, (_, i) => i + 1);
    const out: number[] = [];
    for await (const v of pool(3).imap("collatzSteps", items, { chunkSize: 7 })) out.push(v);
    expect(out).toEqual(items.map(collatz));
  });

  it("stops the call when the consumer breaks early, and the pool stays usable", async () => {
    let n = 0;
    for await (const v of pool().imap("sumSquares", Array.from({ length: 400 }, () => [0, 1e6]), { chunkSize: 1 })) {
      expect(v).toBe(sumSquares(0, 1e6));
      if (++n === 3) break;
    }
    expect(n).toBe(3);
    expect(await pool().map("collatzSteps", [27])).toEqual([111]);
  });

  it("throws the call's error from the loop", async () => {
    const c = new AbortController();
    c.abort();
    const run = async (): Promise<void> => { for await (const _ of pool().imap("collatzSteps", [1], { signal: c.signal })) { /* none */ } };
    await expect(run()).rejects.toThrow(AbortError);
  });
});

describe("imapUnordered", () => {
  it("yields each [index, result] exactly once", async () => {
    const items = Array.from({ length: 3001 }, (_, i) => 3 * i + 1);
    const got = new Map<number, number>();
    for await (const [i, v] of pool(3).imapUnordered("collatzSteps", items, { chunkSize: 50 })) {
      expect(got.has(i)).toBe(false);
      got.set(i, v);
    }
    expect(got.size).toBe(items.length);
    for (const [i, v] of got) expect(v).toBe(collatz(items[i]!));
  });
});
