import { describe, expect, it } from "vitest";
import { colourAt, formatTick, niceTicks, renderHeatmap } from "../../dist/cli/heatmap.js";

describe("heatmap", () => {
  it("puts ticks 1, 2, 2.5 or 5 × 10^k apart inside the range", () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
    expect(niceTicks(0, 25)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });

  it("labels ticks with as few decimals as tell them apart", () => {
    const label = (lo: number, hi: number) => niceTicks(lo, hi).map((t, _, all) => formatTick(t, all));
    expect(label(0, 100)).toEqual(["0", "20", "40", "60", "80", "100"]);
    expect(label(0, 1)).toEqual(["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    expect(label(0, 1e-3)).toEqual(["0", "0.0002", "0.0004", "0.0006", "0.0008", "0.0010"]);
  });

  it("labels very small and very large ticks in exponent form", () => {
    const label = (lo: number, hi: number) => niceTicks(lo, hi).map((t, _, all) => formatTick(t, all));
    expect(label(0, 1e-5)).toEqual(["0", "2.0e-6", "4.0e-6", "6.0e-6", "8.0e-6", "1.0e-5"]);
    expect(label(0, 2.5e7)).toEqual(["0", "5.0e6", "1.0e7", "1.5e7", "2.0e7", "2.5e7"]);
  });

  it("maps the coldest value to inferno's black and the hottest to its pale yellow", () => {
    expect(colourAt(0)).toEqual([0, 0, 4]);
    expect(colourAt(1)).toEqual([252, 255, 164]);
    expect(colourAt(0.5)).toEqual([186, 54, 85]);
  });

  it("draws the grid's hottest row at the top of the plate, in the hottest colour", () => {
    const side = 4;
    const grid = new Float64Array(side * side);
    grid.fill(100, 0, side); // row 0 hot
    const image = renderHeatmap(grid, side, "T");
    // the plate starts at the left margin (20 px), below the title; find its first hot pixel row
    const at = (x: number, y: number) => [...image.pixels.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3)];
    let y = 0;
    while (at(25, y).join() !== "252,255,164") y++;
    expect(at(25, y + 10)).toEqual([252, 255, 164]); // a 160-px cell: still row 0
    expect(at(25, y + 200)).toEqual([0, 0, 4]); // row 1: cold
  });
});
