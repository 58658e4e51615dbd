import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FOLLOW, HC, LV, OP, SLOT } from "../../dist/workloads/heat-context.js";

/** The `export const NAME: usize|i32 = VALUE;` lines of a kernel file. */
function kernelConstants(file: string): Map<string, number> {
  const text = readFileSync(new URL(`../../assembly/${file}`, import.meta.url), "utf8");
  return new Map([...text.matchAll(/export const (\w+): (?:usize|i32) = (\d+);/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe("heat context: one layout for JS and the kernels", () => {
  it("the JS offsets are the ones assembly/heat-context.ts declares", () => {
    const k = kernelConstants("heat-context.ts");
    const js: Record<string, number> = {
      HC_STARTED: HC.STARTED, HC_LEVELS: HC.LEVELS, HC_SLOTS: HC.SLOTS, HC_TABLES: HC.TABLES, HC_PHASES: HC.PHASES, HC_SCHEDULE: HC.SCHEDULE,
      HC_LEVEL0: HC.LEVEL0, LEVEL_BYTES: HC.LEVEL_BYTES, SLOT_BYTES: HC.SLOT_BYTES, SCHEDULE_BYTES: HC.SCHEDULE_BYTES,
      LV_N: LV.N, LV_U: LV.U, LV_G: LV.G, LV_T: LV.T, LV_J: LV.J, LV_A: LV.A, LV_B: LV.B, LV_LO: LV.LO, LV_HI: LV.HI,
      TABLE_BYTES_PER_CELL: LV.TABLE_BYTES_PER_CELL,
      SLOT_RESIDUAL: SLOT.RESIDUAL, SLOT_CHANGE: SLOT.CHANGE, SLOT_INNER: SLOT.INNER, SLOT_INNER_SCRATCH: SLOT.INNER_SCRATCH, SLOT_INNER_CHANGE: SLOT.INNER_CHANGE,
      OP_INNER: OP.INNER, OP_EDGES: OP.EDGES, OP_FOLLOW: OP.FOLLOW, OP_RESTRICT: OP.RESTRICT, OP_PROLONG: OP.PROLONG, OP_SERIAL: OP.SERIAL,
    };
    expect(Object.fromEntries(k)).toEqual(js);
  });

  it("the sweeps' follow codes are the ones assembly/heat-relax.ts declares", () => {
    const k = kernelConstants("heat-relax.ts");
    expect(Object.fromEntries(k)).toEqual({ FOLLOW_NONE: FOLLOW.NONE, FOLLOW_RED_RESIDUAL: FOLLOW.RED_RESIDUAL, FOLLOW_RESTRICT: FOLLOW.RESTRICT });
  });
});
