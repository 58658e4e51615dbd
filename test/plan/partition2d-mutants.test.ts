/**
 * partition2d's halo layout, its edges and its messages, and double buffering past the first two
 * steps: checks written for the mutants of src/plan/partition2d.ts that the other tests let
 * through (docs/testing.md). Expected values are worked out by hand from the documented layout.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../dist/index.js";
import { doubleBuffer, haloLayout, partition2d } from "../../dist/grid.js";

/** Whether haloLayout(block, halo).at(row, col) throws, and with what. */
function atError(at: (row: number, col: number) => number, row: number, col: number): Error | undefined {
  try {
    at(row, col);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

describe("haloLayout edges", () => {
  // a 7 × 9 grid in 2 × 3 blocks: block 4 is (bp 1, bq 1), rows [3, 7), columns [3, 6)
  const part = partition2d(7, 9, { p: 2, q: 3 });
  const block = part.blocks[4]!;

  it("the block under test is where ⌊i·n/P⌋ puts it", () => {
    expect([block.row0, block.row1, block.col0, block.col1]).toEqual([3, 7, 3, 6]);
  });

  it("takes exactly the cells up to `halo` beyond each edge, and refuses the next ones out", () => {
    for (const halo of [1, 2]) {
      const { at, rows, cols, cells } = haloLayout(block, halo);
      expect([rows, cols, cells]).toEqual([4 + 2 * halo, 3 + 2 * halo, (4 + 2 * halo) * (3 + 2 * halo)]);
      // every cell of the stored rectangle, row-major from the corner (row0 − halo, col0 − halo)
      for (let r = 3 - halo; r < 7 + halo; r++) {
        for (let c = 3 - halo; c < 6 + halo; c++) expect(at(r, c)).toBe((r - 3 + halo) * cols + (c - 3 + halo));
      }
      // one beyond the halo on each side: west, east, north, south
      for (const [r, c] of [[3, 3 - halo - 1], [3, 6 + halo], [3 - halo - 1, 3], [7 + halo, 3]] as const) {
        const e = atError(at, r, c);
        expect(e, `(${r}, ${c}) with halo ${halo}`).toBeInstanceOf(InvalidArgumentError);
      }
    }
  });

  it("names the cell and the rows and columns it may take", () => {
    const { at } = haloLayout(block, 2);
    const e = atError(at, 0, 9) as InvalidArgumentError;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.parameter).toBe("cell");
    expect(e.value).toEqual([0, 9]);
    // rows 3 − 2 … 7 + 2 − 1, cols 3 − 2 … 6 + 2 − 1
    expect(e.allowed).toBe("a cell of the block or of its halo (rows 1…8, cols 1…7)");
  });

  it("defaults to a halo of one cell; takes 0, and refuses a negative halo by name", () => {
    expect(haloLayout(block).halo).toBe(1);
    expect(haloLayout(block).cells).toBe(6 * 5);
    const bare = haloLayout(block, 0);
    expect([bare.rows, bare.cols, bare.at(3, 3), bare.at(6, 5)]).toEqual([4, 3, 0, 11]);
    expect(() => haloLayout(block, -1)).toThrow(/^halo must be an integer from 0 to 2\^31; got -1$/);
  });
});

describe("partition2d options", () => {
  it("refuses options that are not an object, naming partition2d", () => {
    expect(() => partition2d(4, 4, 5 as never)).toThrow(InvalidArgumentError);
    expect(() => partition2d(4, 4, 5 as never)).toThrow(/^partition2d options must be an options object; got 5$/);
  });
});

describe("doubleBuffer", () => {
  it("alternates for every step: even steps read a, odd steps read b", () => {
    for (let step = 0; step < 8; step++) {
      const { read, write } = doubleBuffer("a", "b", step);
      expect([read, write], `step ${step}`).toEqual(step % 2 === 0 ? ["a", "b"] : ["b", "a"]);
    }
    // spelled out, so the check does not borrow the code's own expression
    expect([2, 3, 4, 5].map((s) => doubleBuffer("a", "b", s).read)).toEqual(["a", "b", "a", "b"]);
  });
});
