/**
 * The context block of the red–black solvers (assembly/heat-sor.ts, assembly/heat-multigrid.ts),
 * whose step kernels run under Pool.iterate (src/platform/iterate-lane.ts owns the barrier and
 * the reduction): byte offsets of its fields. src/workloads/heat-context.ts lays it out in
 * shared memory and mirrors these constants; test/workloads/heat-context.test.ts checks the two
 * agree.
 *
 *   +0     started     i32  atomic: lane 0 writes k as it starts iteration k (sweep or cycle),
 *                           before any lane writes the slot fields RESIDUAL and CHANGE of
 *                           iteration k (they are written after phase 0, or by lane 0 alone):
 *                           a reader of iteration k − 2's fields, which k rewrites, checks it
 *                           (src/workloads/heat-context.ts latestMaxima)
 *   +4     levels      i32  grids, finest first (1 for sor)
 *   +8     slots       u32  2 sets × lanes × SLOT_BYTES: lane m's maxima for iteration k are
 *                           at ((k & 1)·lanes + m)·SLOT_BYTES (SLOT_* below: the sweep's max
 *                           |t| and max change; the one-pass part's, written in phase 0, apart)
 *   +12    tables      u32  zeroed room for the transfer tables, TABLE_BYTES_PER_CELL·(n+2) + 64
 *                           bytes per level but the coarsest; lane 0 of the multigrid solve lays
 *                           them out and fills them (heat-multigrid.ts) as it starts phase 0
 *   +16    phases      i32  multigrid: phases per V-cycle (Pool.iterate's `phases`)
 *   +20    schedule    u32  multigrid: phases × SCHEDULE_BYTES, what each phase does, written by
 *                           src/workloads/heat-multigrid.ts: i32 op (OP_*), i32 level, i32
 *                           follow (FOLLOW_* in heat-relax.ts), i32 track (1: the cycle's last
 *                           sweep on the plate, whose maxima go to the iteration's slot)
 *   +64    level records, LEVEL_BYTES each, finest first:
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
 * A lane's rows on a level are not stored: lane m of M owns rows [1 + m·b, 1 + (m+1)·b) ∩
 * [1, n+1), b = ⌈n/M⌉ (heat-solver.ts rowOf), the blocks the Jacobi solve uses.
 */
export const HC_STARTED: usize = 0;
export const HC_LEVELS: usize = 4;
export const HC_SLOTS: usize = 8;
export const HC_TABLES: usize = 12;
export const HC_PHASES: usize = 16;
export const HC_SCHEDULE: usize = 20;
export const HC_LEVEL0: usize = 64;
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
/** Slot fields, f64: the sweep's max |t| (scaled residual) and max |new − old|; the one-pass part's max |t|, its scratch, its max change. */
export const SLOT_RESIDUAL: usize = 0;
export const SLOT_CHANGE: usize = 8;
export const SLOT_INNER: usize = 16;
export const SLOT_INNER_SCRATCH: usize = 24;
export const SLOT_INNER_CHANGE: usize = 32;
/** A schedule entry: op, level, follow, track (i32 each). */
export const SCHEDULE_BYTES: usize = 16;
// Multigrid phases (schedule ops), each by every lane on its own rows of the entry's level, then the barrier:
/** the sweep's one-pass part (heat-solver.ts sweepInner); */
export const OP_INNER: i32 = 0;
/** its edge rows' black cells (sweepEdges); */
export const OP_EDGES: i32 = 1;
/** its `follow` on the rows the pass could not reach (sweepFollow); */
export const OP_FOLLOW: i32 = 2;
/** the restriction's column pass onto the next coarser level (heatRestrictCoarse); */
export const OP_RESTRICT: i32 = 3;
/** the prolongation of the next coarser level's correction (heatProlong); */
export const OP_PROLONG: i32 = 4;
/** lane 0 alone: the whole V-cycle from this level down (the others only meet). */
export const OP_SERIAL: i32 = 5;
