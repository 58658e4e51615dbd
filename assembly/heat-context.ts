/**
 * The context block of the red–black solvers (assembly/heat-sor.ts, assembly/heat-multigrid.ts):
 * byte offsets of its fields. src/workloads/heat-context.ts lays it out in shared memory and
 * mirrors these constants; test/workloads/heat-context.test.ts checks the two agree.
 *
 *   +0     barrier, BARRIER_BYTES (64)
 *   +64    status      i32  0 running; the first member to stop writes why (HEAT_* in heat.ts)
 *   +68    iterations  i32  sweeps (sor) or cycles (multigrid) done; member 0 writes it
 *   +72    maxDiff     f64  as i64 bits, atomic: max |new − old| of the latest finest-grid sweep
 *   +80    residual    f64  as i64 bits, atomic: max |Δh u| of the finest grid after it
 *   +88    levels      i32  grids, finest first (1 for sor)
 *   +92    slots       u32  2 sets × members × SLOT_BYTES: member m's maxima for iteration k are
 *                           at ((k & 1)·members + m)·SLOT_BYTES: f64 max |t|, f64 scratch, f64
 *                           max change (SLOT_* in heat-solver.ts)
 *   +96    tables      u32  zeroed room for the transfer tables, TABLE_BYTES_PER_CELL·(n+2) + 64
 *                           bytes per level but the coarsest; member 0 of the multigrid solve
 *                           lays them out and fills them (heat-multigrid.ts) before the first cycle
 *   +128   level records, LEVEL_BYTES each, finest first:
 *          +0  n      i32  interior cells per side; the grid is (n+2)², row-major, f64
 *          +4  u      u32  the unknowns (level 0: the plate; coarser: the correction, zero edge)
 *          +8  g      u32  right-hand side scaled by h² (0 on level 0: Laplace's equation)
 *          +12 t      u32  scratch: the residual summed along rows for restriction (not coarsest)
 *          +16 J      u32  transfer to the next coarser level (not coarsest; written by the
 *                          kernel): for fine index i in 1..n, J[i] i32 is the coarse index left
 *                          of it (0..m) …
 *          +20 A      u32  … A[i] f64 its interpolation weight from J[i], and
 *          +24 B      u32  … B[i] f64 from J[i] + 1 (A[i] + B[i] = 1 up to rounding);
 *          +28 lo     u32  for coarse index K in 1..m, fine indices lo[K]..hi[K] (i32) are the
 *          +32 hi     u32  ones K interpolates to (weight ≠ 0)
 * A member's rows on a level are not stored: member m of M owns rows [1 + m·b, 1 + (m+1)·b) ∩
 * [1, n+1), b = ⌈n/M⌉ (heat-solver.ts rowOf), the blocks the Jacobi solve uses.
 */
export const HC_STATUS: usize = 64;
export const HC_ITERATIONS: usize = 68;
export const HC_MAX_DIFF: usize = 72;
export const HC_RESIDUAL: usize = 80;
export const HC_LEVELS: usize = 88;
export const HC_SLOTS: usize = 92;
export const HC_TABLES: usize = 96;
export const HC_LEVEL0: usize = 128;
export const LEVEL_BYTES: usize = 64;
export const LV_N: usize = 0;
export const LV_U: usize = 4;
export const LV_G: usize = 8;
export const LV_T: usize = 12;
export const LV_J: usize = 16;
export const LV_A: usize = 20;
export const LV_B: usize = 24;
export const LV_LO: usize = 28;
export const LV_HI: usize = 32;
/** Room for a level's transfer tables: J (4), A and B (8 each) per fine cell, lo and hi (4 each) per coarse cell (m ≤ n/2). */
export const TABLE_BYTES_PER_CELL: usize = 24;
export const SLOT_BYTES: usize = 64;
