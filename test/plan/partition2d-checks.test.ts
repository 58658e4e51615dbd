/** partition2d's argument checks and blockOf against a plain scan of the blocks (src/plan/partition2d.ts). */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../dist/index.js";
import { blockOf, neighbours, partition2d } from "../../dist/grid.js";

describe("partition2d checks", () => {
  it("blockOf finds the block a plain scan of the blocks finds, for every cell of uneven grids", () => {
    for (const [rows, cols, p, q] of [[7, 5, 3, 2], [10, 10, 4, 3], [13, 1, 5, 1], [1, 9, 1, 4], [17, 11, 17, 11]] as const) {
      const part = partition2d(rows, cols, { p, q });
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const want = part.blocks.find((b) => b.row0 <= r && r < b.row1 && b.col0 <= c && c < b.col1)!;
          expect(blockOf(part, r, c).index, `${rows}×${cols} in ${p}×${q}, cell (${r}, ${c})`).toBe(want.index);
        }
      }
    }
  });

  it("rejects cells outside the grid, bad sizes and bad block counts, naming each", () => {
    const part = partition2d(6, 4, { p: 2, q: 2 });
    const bad: Array<[() => unknown, RegExp]> = [
      [() => blockOf(part, 6, 0), /^row must be an integer from 0 to 5; got 6$/],
      [() => blockOf(part, 0, -1), /^col must be an integer from 0 to 3; got -1$/],
      [() => partition2d(0, 4, { p: 1, q: 1 }), /^rows must be an integer from 1 to 2\^53; got 0$/],
      [() => partition2d(4, 0, { p: 1, q: 1 }), /^cols must be an integer from 1 to 2\^53; got 0$/],
      [() => partition2d(4, 4, { p: 5, q: 1 }), /^p must be an integer from 1 to 4; got 5$/],
      [() => partition2d(4, 4, { p: 1, q: 5 }), /^q must be an integer from 1 to 4; got 5$/],
      [() => partition2d(4, 4, { scheme: "rows", p: 2, q: 2 }), /^q must be an integer from 1 to 1; got 2$/],
      [() => partition2d(4, 4, { scheme: "columns", p: 2, q: 2 }), /^p must be an integer from 1 to 1; got 2$/],
      [() => partition2d(4, 4, { scheme: "diagonal" as never, p: 1, q: 1 }), /^scheme must be one of "rows", "columns", "blocks"; got "diagonal"$/],
      [() => neighbours(part, 4), /^index must be a block index from 0 to 3; got 4$/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(message);
    }
  });
});
