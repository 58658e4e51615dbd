import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HC, LV } from "../../dist/workloads/heat-context.js";

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
      HC_SLOTS: HC.SLOTS, HC_TABLES: HC.TABLES, HC_LEVEL0: HC.LEVEL0, LEVEL_BYTES: HC.LEVEL_BYTES, SLOT_BYTES: HC.SLOT_BYTES,
      LV_N: LV.N, LV_U: LV.U, LV_G: LV.G, LV_T: LV.T, LV_J: LV.J, LV_A: LV.A, LV_B: LV.B, LV_LO: LV.LO, LV_HI: LV.HI,
      TABLE_BYTES_PER_CELL: LV.TABLE_BYTES_PER_CELL,
    };
    expect(Object.fromEntries(k)).toEqual(js);
  });
});
