/**
 * A tiny heat context for warming the step kernels up (src/kernels/warm-up.ts): a 5×5 plate
 * and its one coarser level (2×2), the slots of two lanes, a schedule of every multigrid op
 * once (heat-context.ts), and Jacobi's two grids, all in [base, base + 4608) — which the
 * warm-up takes from the reserved first 64 KiB of memory. Workers warming up at once write the
 * same pointers and race only on the grids' values, which nothing reads afterwards.
 */
import { HC_LEVEL0, HC_LEVELS, HC_PHASES, HC_SCHEDULE, HC_SLOTS, HC_TABLES, LEVEL_BYTES, LV_G, LV_N, LV_T, LV_U,
  OP_EDGES, OP_FOLLOW, OP_INNER, OP_PROLONG, OP_RESTRICT, OP_SERIAL, SCHEDULE_BYTES } from "./heat-context";
import { FOLLOW_NONE, FOLLOW_RED_RESIDUAL, FOLLOW_RESTRICT } from "./heat-relax";

/** Offsets from `base`: the context, then its parts, then the grids. */
const SLOTS: usize = 192;
const SCHEDULE: usize = 448;
const TABLES: usize = 1536;
const PLATE: usize = 2048;
const PLATE_T: usize = 2560;
const COARSE_U: usize = 3072;
const COARSE_G: usize = 3200;
/** Jacobi's grids (7×7 f64 each), at base + HEAT_WARM_JACOBI_A and + HEAT_WARM_JACOBI_B. */
export const HEAT_WARM_JACOBI_A: usize = 3584;
export const HEAT_WARM_JACOBI_B: usize = 4096;
/** Phases of the warm-up schedule. */
export const HEAT_WARM_PHASES: i32 = 13;

/**
 * Lays the context out at `base` (zeroed memory, or an earlier warm-up's) and returns its
 * address. The plate is 1 on the edge and 0 inside, so every op computes on finite numbers.
 */
export function heatWarmUpContext(base: usize): usize {
  const ctl = base;
  store<i32>(ctl + HC_LEVELS, 2);
  store<u32>(ctl + HC_SLOTS, <u32>(base + SLOTS));
  store<u32>(ctl + HC_TABLES, <u32>(base + TABLES));
  store<i32>(ctl + HC_PHASES, HEAT_WARM_PHASES);
  store<u32>(ctl + HC_SCHEDULE, <u32>(base + SCHEDULE));
  const fine = ctl + HC_LEVEL0;
  store<i32>(fine + LV_N, 5);
  store<u32>(fine + LV_U, <u32>(base + PLATE));
  store<u32>(fine + LV_G, 0);
  store<u32>(fine + LV_T, <u32>(base + PLATE_T));
  const coarse = fine + LEVEL_BYTES;
  store<i32>(coarse + LV_N, 2);
  store<u32>(coarse + LV_U, <u32>(base + COARSE_U));
  store<u32>(coarse + LV_G, <u32>(base + COARSE_G));
  store<u32>(coarse + LV_T, 0);
  for (let i: usize = 0; i < 49; i++) {
    const r = i / 7;
    const c = i % 7;
    const edge: f64 = r == 0 || r == 6 || c == 0 || c == 6 ? 1 : 0;
    store<f64>(base + PLATE + (i << 3), edge);
    store<f64>(base + HEAT_WARM_JACOBI_A + (i << 3), edge);
    store<f64>(base + HEAT_WARM_JACOBI_B + (i << 3), edge);
  }
  for (let i: usize = 0; i < 16; i++) store<f64>(base + COARSE_U + (i << 3), 0);
  let at = base + SCHEDULE;
  at = entry(at, OP_INNER, 0, FOLLOW_NONE, 0);
  at = entry(at, OP_EDGES, 0, FOLLOW_NONE, 0);
  at = entry(at, OP_INNER, 0, FOLLOW_RESTRICT, 0);
  at = entry(at, OP_EDGES, 0, FOLLOW_RESTRICT, 0);
  at = entry(at, OP_FOLLOW, 0, FOLLOW_RESTRICT, 0);
  at = entry(at, OP_RESTRICT, 0, FOLLOW_NONE, 0);
  at = entry(at, OP_INNER, 1, FOLLOW_NONE, 0);
  at = entry(at, OP_EDGES, 1, FOLLOW_NONE, 0);
  at = entry(at, OP_PROLONG, 0, FOLLOW_NONE, 0);
  at = entry(at, OP_INNER, 0, FOLLOW_RED_RESIDUAL, 1);
  at = entry(at, OP_EDGES, 0, FOLLOW_RED_RESIDUAL, 1);
  at = entry(at, OP_FOLLOW, 0, FOLLOW_RED_RESIDUAL, 1);
  entry(at, OP_SERIAL, 0, FOLLOW_NONE, 1);
  return ctl;
}

function entry(at: usize, op: i32, level: i32, follow: i32, track: i32): usize {
  store<i32>(at, op);
  store<i32>(at, level, 4);
  store<i32>(at, follow, 8);
  store<i32>(at, track, 12);
  return at + SCHEDULE_BYTES;
}
