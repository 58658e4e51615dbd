import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../dist/index.js";
import { blockOf, doubleBuffer, haloLayout, neighbours, partition2d } from "../../dist/grid.js";

const shapes: Array<[number, number, number, number]> = [[1, 1, 1, 1], [7, 5, 3, 2], [10, 10, 3, 3], [64, 33, 4, 5], [5, 100, 5, 1], [9, 9, 9, 9]];

describe("partition2d", () => {
  it("covers every cell exactly once, for blocks, rows and columns", () => {
    for (const [rows, cols, p, q] of shapes) {
      for (const part of [partition2d(rows, cols, { p, q }), partition2d(rows, cols, { scheme: "rows", p }), partition2d(rows, cols, { scheme: "columns", q })]) {
        const owner = new Int32Array(rows * cols).fill(-1);
        for (const b of part.blocks) {
          for (let r = b.row0; r < b.row1; r++) {
            for (let c = b.col0; c < b.col1; c++) {
              expect(owner[r * cols + c], `cell ${r},${c} twice`).toBe(-1);
              owner[r * cols + c] = b.index;
            }
          }
        }
        expect(owner.every((o) => o >= 0)).toBe(true);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(blockOf(part, r, c).index).toBe(owner[r * cols + c]);
      }
    }
  });

  it("is balanced: block sizes along each axis differ by at most one, the boundaries ⌊i·n/P⌋", () => {
    const part = partition2d(10, 7, { p: 4, q: 3 });
    expect(part.blocks.filter((b) => b.bq === 0).map((b) => [b.row0, b.row1])).toEqual([[0, 2], [2, 5], [5, 7], [7, 10]]);
    expect(part.blocks.filter((b) => b.bp === 0).map((b) => [b.col0, b.col1])).toEqual([[0, 2], [2, 4], [4, 7]]);
    expect(part.blocks.map((b) => b.index)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it("names each block's neighbours, -1 at the edges", () => {
    const part = partition2d(9, 9, { p: 3, q: 3 });
    expect(neighbours(part, 4)).toEqual({ north: 1, south: 7, west: 3, east: 5 });
    expect(neighbours(part, 0)).toEqual({ north: -1, south: 3, west: -1, east: 1 });
    expect(neighbours(part, 8)).toEqual({ north: 5, south: -1, west: 7, east: -1 });
    const rows = partition2d(9, 9, { scheme: "rows", p: 3 });
    expect(neighbours(rows, 1)).toEqual({ north: 0, south: 2, west: -1, east: -1 });
  });

  it("lays a block out with its halo: ghost cells are the neighbours' edge cells", () => {
    const part = partition2d(8, 8, { p: 2, q: 2 });
    const block = part.blocks[3]!; // rows 4–7, cols 4–7
    const layout = haloLayout(block, 1);
    expect([layout.rows, layout.cols, layout.cells]).toEqual([6, 6, 36]);
    expect(layout.at(4, 4)).toBe(1 * 6 + 1); // first own cell after one ghost row and column
    expect(layout.at(3, 4)).toBe(1); // north ghost: row 3 belongs to block 1 (its south edge)
    expect(blockOf(part, 3, 4).index).toBe(neighbours(part, 3).north);
    expect(layout.at(7, 7)).toBe(4 * 6 + 4);
    expect(layout.at(8, 8)).toBe(35); // the south-east ghost corner
    expect(() => layout.at(9, 4)).toThrow(InvalidArgumentError);
    expect(haloLayout(block, 0).cells).toBe(16);
  });

  it("double-buffers: step 0 reads a and writes b, step 1 the other way", () => {
    expect(doubleBuffer("a", "b", 0)).toEqual({ read: "a", write: "b" });
    expect(doubleBuffer("a", "b", 1)).toEqual({ read: "b", write: "a" });
  });

  it("refuses bad input, naming the parameter", () => {
    expect(() => partition2d(0, 5, { p: 1, q: 1 })).toThrow(/^rows must be an integer from 1/);
    expect(() => partition2d(5, 5, { p: 6, q: 1 })).toThrow(/^p must be an integer from 1 to 5/);
    expect(() => partition2d(5, 5, { scheme: "rows", p: 2, q: 2 })).toThrow(/^q must be an integer from 1 to 1/);
    expect(() => partition2d(5, 5, { scheme: "diagonal" as never, p: 1 })).toThrow(/^scheme must be/);
    expect(() => partition2d(5, 5, { p: 1.5, q: 1 })).toThrow(InvalidArgumentError);
  });
});
