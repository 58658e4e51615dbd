import { describe, expect, it } from "vitest";
import { partBlocks, partition, type PartitionScheme } from "../../dist/index.js";

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

  it("the automatic chunk size depends on the length alone (no worker count in its inputs)", () => {
    const a = partition(1, 1 + 4e9, { maxChunk: 1 << 22 });
    const b = partition(1, 1 + 4e9, { maxChunk: 1 << 22 });
    expect(a).toEqual(b);
    expect(a.blockSize).toBe(1 << 22);
    expect(partition(0, 1000).parts).toBe(1);
  });

  it("rejects an unknown scheme, naming it", () => {
    expect(() => partition(0, 10, { scheme: "random" as PartitionScheme })).toThrow(/partition must be "block", "cyclic" or "block-cyclic"/);
  });
});
