import { describe, expect, it } from "vitest";
import { InvalidArgumentError, partBlocks, partition, type PartitionScheme } from "../../dist/index.js";

/** Every index of [start, end) in exactly one part, blocks within a part in increasing order. */
function coverage(start: number, end: number, scheme: PartitionScheme, chunkSize: number, parts?: number): number[] {
  const spec = partition(start, end, { scheme, chunkSize, parts });
  const seen = new Array<number>(end - start).fill(0);
  for (let j = 0; j < spec.parts; j++) {
    let last = -Infinity;
    for (const [s, e] of partBlocks(spec, j)) {
      if (s <= last || e <= s) throw new Error(`part ${j}: block [${s}, ${e}) out of order`);
      for (let i = s; i < e; i++) seen[i - start]!++;
      last = e - 1;
    }
  }
  return seen;
}

describe("partition", () => {
  const sizes = [0, 1, 2, 3, 7, 8, 9, 63, 64, 65, 100, 1000, 1023, 4097];
  for (const scheme of ["block", "cyclic", "block-cyclic"] as const) {
    it(`${scheme}: covers every index exactly once for many sizes, chunk sizes and part counts`, () => {
      for (const n of sizes) {
        for (const chunk of [1, 2, 3, 16, 100]) {
          for (const parts of [1, 2, 3, 5, 64]) {
            const seen = coverage(10, 10 + n, scheme, chunk, parts);
            if (!seen.every((c) => c === 1)) expect.fail(`n=${n} chunk=${chunk} parts=${parts}: ${seen.join(",")}`);
          }
        }
      }
    });
  }

  it("block parts are consecutive chunks of chunkSize, the last one shorter", () => {
    const spec = partition(0, 10, { chunkSize: 4 });
    expect([0, 1, 2].map((j) => partBlocks(spec, j))).toEqual([[[0, 4]], [[4, 8]], [[8, 10]]]);
  });

  it("cyclic part j holds j, j+P, j+2P, …", () => {
    const spec = partition(0, 10, { scheme: "cyclic", parts: 3 });
    expect(partBlocks(spec, 1)).toEqual([[1, 2], [4, 5], [7, 8]]);
  });

  it("block-cyclic deals blocks round-robin", () => {
    const spec = partition(0, 10, { scheme: "block-cyclic", chunkSize: 2, parts: 2 });
    expect(partBlocks(spec, 0)).toEqual([[0, 2], [4, 6], [8, 10]]);
    expect(partBlocks(spec, 1)).toEqual([[2, 4], [6, 8]]);
  });

  it("has exactly ⌈length / chunkSize⌉ block parts: no empty part when the chunk divides the length", () => {
    expect(partition(0, 12, { chunkSize: 4 }).parts).toBe(3);
    expect(partition(0, 13, { chunkSize: 4 }).parts).toBe(4);
    expect(partition(10, 20, { chunkSize: 5 }).parts).toBe(2);
    expect(partition(-20, -10, { chunkSize: 5 }).parts).toBe(2);
    expect(partition(7, 7, { chunkSize: 5 }).parts).toBe(0);
    expect(() => partition(9, 7, { chunkSize: 5 })).toThrow(/^end must be an integer at least start \(9\); got 7$/);
    expect(partition(1000, 1001, { chunkSize: 5 }).parts).toBe(1);
  });

  it("gives cyclic and block-cyclic one part per block, at most 64, unless parts is given", () => {
    expect(partition(0, 10, { scheme: "cyclic" }).parts).toBe(10);
    expect(partition(0, 1000, { scheme: "cyclic" }).parts).toBe(64);
    expect(partition(0, 100, { scheme: "block-cyclic", chunkSize: 10 }).parts).toBe(10);
    expect(partition(0, 101, { scheme: "block-cyclic", chunkSize: 10 }).parts).toBe(11);
    expect(partition(0, 10_000, { scheme: "block-cyclic", chunkSize: 10 }).parts).toBe(64);
    // never more parts than blocks: the extra ones would be empty
    expect(partition(0, 10, { scheme: "block-cyclic", chunkSize: 5, parts: 7 }).parts).toBe(2);
    expect(partition(0, 10, { scheme: "cyclic", parts: 64 }).parts).toBe(10);
    expect(partition(0, 10, { scheme: "cyclic", parts: 3 })).toEqual({ scheme: "cyclic", start: 0, end: 10, parts: 3, blockSize: 1 });
  });

  it("chooses the automatic chunk from the length alone: the smallest power of two from 1024 that 64 chunks stretch over it, at most 2^22", () => {
    // the documented rule, written out here; the function has no worker count among its inputs
    const expected = (length: number, max = 1 << 22, min = 1024): number => {
      let c = min;
      while (c * 64 < length && c < max) c *= 2;
      return Math.min(c, max);
    };
    const lengths = [0, 1, 1000, 65_535, 65_536, 65_537, 131_072, 1e6, 2 ** 28 - 1, 2 ** 28, 2 ** 28 + 1, 4e9, 2 ** 53];
    for (const length of lengths) {
      expect(partition(0, length).blockSize, `length ${length}`).toBe(expected(length));
      expect(partition(-5, -5 + length).blockSize, `length ${length} from −5`).toBe(expected(length));
    }
    // a few by hand
    expect(partition(0, 65_536).blockSize).toBe(1024); // 64 · 1024 = 65 536 covers it exactly
    expect(partition(0, 65_537).blockSize).toBe(2048);
    expect(partition(0, 1e6).blockSize).toBe(16_384);
    expect(partition(1, 1 + 4e9).blockSize).toBe(1 << 22);
    expect(partition(0, 1000).parts).toBe(1);
  });

  it("keeps the automatic chunk between minChunk and maxChunk", () => {
    expect(partition(0, 10, { minChunk: 1 << 16 }).blockSize).toBe(1 << 16);
    expect(partition(0, 1e9, { maxChunk: 3000 }).blockSize).toBe(3000); // not a power of two: capped
    expect(partition(0, 1e9, { maxChunk: 1 << 21 }).blockSize).toBe(1 << 21);
    expect(partition(0, 100, { maxChunk: 1 << 21 }).blockSize).toBe(1024);
    expect(partition(0, 64 * 4096, { minChunk: 4096 }).blockSize).toBe(4096);
  });

  it("walks the blocks of every scheme over a range that does not start at 0", () => {
    const block = partition(100, 111, { chunkSize: 4 });
    expect([0, 1, 2].map((j) => partBlocks(block, j))).toEqual([[[100, 104]], [[104, 108]], [[108, 111]]]);
    const cyclic = partition(100, 107, { scheme: "cyclic", parts: 3 });
    expect([0, 1, 2].map((j) => partBlocks(cyclic, j))).toEqual([[[100, 101], [103, 104], [106, 107]], [[101, 102], [104, 105]], [[102, 103], [105, 106]]]);
    const bc = partition(100, 111, { scheme: "block-cyclic", chunkSize: 3, parts: 2 });
    expect([0, 1].map((j) => partBlocks(bc, j))).toEqual([[[100, 103], [106, 109]], [[103, 106], [109, 111]]]);
  });

  it("rejects a bad range or size before planning, naming it and what is allowed", () => {
    const bad: Array<[() => unknown, RegExp]> = [
      [() => partition(0.5, 10), /^start must be an integer from -2\^53 to 2\^53; got 0.5$/],
      [() => partition("0" as never, 10), /^start must be an integer from -2\^53 to 2\^53; got "0"$/],
      [() => partition(-(2 ** 53) - 2, 0), /^start must be an integer from -2\^53 to 2\^53/],
      [() => partition(0, 2 ** 53 + 2), /^end must be an integer from -2\^53 to 2\^53; got 9007199254740994$/],
      [() => partition(0, NaN), /^end must be an integer from -2\^53 to 2\^53; got NaN$/],
      [() => partition(5, 4), /^end must be an integer at least start \(5\); got 4$/],
      [() => partition(0, 10, { chunkSize: 0 }), /^chunkSize must be an integer from 1 to 2\^53; got 0$/],
      [() => partition(0, 10, { chunkSize: 1.5 }), /^chunkSize must be an integer from 1 to 2\^53; got 1.5$/],
      [() => partition(0, 10, { chunkSize: 2 ** 53 + 2 }), /^chunkSize must be an integer from 1 to 2\^53/],
      [() => partition(0, 10, { scheme: "cyclic", parts: 0 }), /^parts must be an integer from 1 to 16777216; got 0$/],
      [() => partition(0, 10, { scheme: "cyclic", parts: 2 ** 24 + 1 }), /^parts must be an integer from 1 to 16777216; got 16777217$/],
      [() => partition(0, 10, { maxChunk: 0 }), /^maxChunk must be an integer from 1 to 2\^53; got 0$/],
      [() => partition(0, 10, { minChunk: -1 }), /^minChunk must be an integer from 1 to 2\^53; got -1$/],
      [() => partition(0, 10, null as never), /^partition options must be an options object; got null$/],
      [() => partition(0, 10, 5 as never), /^partition options must be an options object; got 5$/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(message);
    }
  });

  it("accepts the bounds: ±2^53, a chunk of 2^53, 2^24 parts", () => {
    expect(partition(-(2 ** 53), -(2 ** 53) + 10, { chunkSize: 5 }).parts).toBe(2);
    expect(partition(2 ** 53 - 10, 2 ** 53, { chunkSize: 2 ** 53 }).parts).toBe(1);
    expect(partition(0, 2 ** 25, { scheme: "cyclic", parts: 2 ** 24 }).parts).toBe(2 ** 24);
    expect(partition(0, 10, { maxChunk: 1, minChunk: 1 }).blockSize).toBe(1);
    expect(partition(0, 10).blockSize).toBe(1024);
  });

  it("rejects an unknown scheme, naming it", () => {
    expect(() => partition(0, 10, { scheme: "random" as PartitionScheme })).toThrow(/partition must be "block", "cyclic" or "block-cyclic"/);
  });
});
