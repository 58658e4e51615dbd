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

  it("maps 0, ¼, ½, ¾ and 1 to matplotlib's inferno there (within 4 of each 8-bit channel)", () => {
    // matplotlib's listed inferno data (_cm_listed.py) at entries 0, 64, 128, 191, 255, as floats
    const published: Array<[number, [number, number, number]]> = [
      [0, [0.001462, 0.000466, 0.013866]],
      [0.25, [0.3415, 0.062325, 0.429425]],
      [0.5, [0.735683, 0.215906, 0.330245]],
      [0.75, [0.978422, 0.557937, 0.034931]],
      [1, [0.988362, 0.998364, 0.644924]],
    ];
    for (const [t, rgb] of published) {
      const got = colourAt(t);
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - rgb[c]! * 255), `t = ${t}, channel ${c}: ${got}`).toBeLessThanOrEqual(4);
    }
    // the ends exactly: inferno's black and pale yellow
    expect(colourAt(0)).toEqual([0, 0, 4]);
    expect(colourAt(1)).toEqual([252, 255, 164]);
  });

  it("gets brighter all the way from cold to hot (luminance rises), clamping outside [0, 1]", () => {
    const luminance = ([r, g, b]: readonly number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    let last = -1;
    for (let i = 0; i <= 256; i++) {
      const l = luminance(colourAt(i / 256));
      expect(l, `t = ${i}/256`).toBeGreaterThanOrEqual(last);
      last = l;
    }
    expect(luminance(colourAt(1))).toBeGreaterThan(luminance(colourAt(0)) + 200);
    expect(colourAt(-5)).toEqual(colourAt(0));
    expect(colourAt(7)).toEqual(colourAt(1));
    expect(colourAt(NaN)).toEqual(colourAt(0));
  });

  it("interpolates linearly between neighbouring samples", () => {
    const [a, b, mid] = [colourAt(0), colourAt(1 / 8), colourAt(1 / 16)];
    for (let c = 0; c < 3; c++) expect(Math.abs(mid[c]! - (a[c]! + b[c]!) / 2)).toBeLessThanOrEqual(0.5);
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
