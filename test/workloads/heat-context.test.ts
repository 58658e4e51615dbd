import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HC, LV, rowBlocks, transfer } from "../../dist/workloads/heat-context.js";

/** The `export const NAME: usize = VALUE;` lines of the kernels' layout file. */
function kernelConstants(): Map<string, number> {
  const text = readFileSync(new URL("../../assembly/heat-context.ts", import.meta.url), "utf8");
  return new Map([...text.matchAll(/export const (\w+): usize = (\d+);/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe("heat context: one layout for JS and the kernels", () => {
  it("the JS offsets are the ones assembly/heat-context.ts declares", () => {
    const k = kernelConstants();
    const js: Record<string, number> = {
      HC_STATUS: HC.STATUS, HC_ITERATIONS: HC.ITERATIONS, HC_MAX_DIFF: HC.MAX_DIFF, HC_RESIDUAL: HC.RESIDUAL, HC_LEVELS: HC.LEVELS,
      HC_SLOTS: HC.SLOTS, HC_LEVEL0: HC.LEVEL0, LEVEL_BYTES: HC.LEVEL_BYTES, SLOT_BYTES: HC.SLOT_BYTES,
      LV_N: LV.N, LV_U: LV.U, LV_G: LV.G, LV_T: LV.T, LV_ROWS: LV.ROWS, LV_J: LV.J, LV_A: LV.A, LV_B: LV.B, LV_LO: LV.LO, LV_HI: LV.HI,
    };
    expect(Object.fromEntries(k)).toEqual(js);
  });
});

describe("heat context: row blocks and transfer tables", () => {
  it("splits every level's rows into consecutive blocks, empty at the end on small grids", () => {
    expect([...rowBlocks(10, 3)]).toEqual([1, 5, 9, 11]);
    expect([...rowBlocks(2, 3)]).toEqual([1, 2, 3, 3]);
  });

  it("is the classic full-weighting stencil for n = 2m + 1", () => {
    const t = transfer(7, 3);
    expect([...t.J].slice(1, 8)).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect([...t.A].slice(1, 8)).toEqual([0.5, 1, 0.5, 1, 0.5, 1, 0.5]);
    expect([...t.B].slice(1, 8)).toEqual([0.5, 0, 0.5, 0, 0.5, 0, 0.5]);
    expect([...t.lo].slice(1, 4)).toEqual([1, 3, 5]);
    expect([...t.hi].slice(1, 4)).toEqual([3, 5, 7]);
  });

  it("interpolates between the coarse cells around each fine cell for even n", () => {
    // n = 8 (fine cells at i/9), m = 3 (coarse at K/4): fine 2 at 2/9 lies between K = 0 and 1, 1/9 from K = 1's 1/4
    const t = transfer(8, 3);
    for (let i = 1; i <= 8; i++) {
      const x = i / 9;
      expect(t.J[i]).toBe(Math.floor(x * 4));
      expect(t.A[i]! + t.B[i]!).toBeCloseTo(1, 15);
      expect(t.B[i]).toBeCloseTo(x * 4 - t.J[i]!, 14);
    }
    expect([...t.lo].slice(1, 4)).toEqual([1, 3, 5]);
    expect([...t.hi].slice(1, 4)).toEqual([4, 6, 8]);
  });
});
