/**
 * The context block of the red–black solvers (SOR and multigrid), in shared memory. Its layout
 * is written down once, in assembly/heat-context.ts; the constants here mirror it, and
 * test/workloads/heat-context.test.ts checks that they agree.
 */
import type { Pool } from "../pool/pool.js";

/** Byte offsets of the header and of the level records (HC_* in assembly/heat-context.ts). */
export const HC = { STATUS: 64, ITERATIONS: 68, MAX_DIFF: 72, RESIDUAL: 80, LEVELS: 88, SLOTS: 92, LEVEL0: 128, LEVEL_BYTES: 64, SLOT_BYTES: 64 } as const;
/** Byte offsets within a level record (LV_* in assembly/heat-context.ts). */
export const LV = { N: 0, U: 4, G: 8, T: 12, ROWS: 16, J: 20, A: 24, B: 28, LO: 32, HI: 36 } as const;

/** One grid of the hierarchy, finest first. `g` is absent on the finest (Laplace's equation). */
export interface Level {
  n: number;
  u: Float64Array;
  g?: Float64Array;
  /** Scratch for restricting the residual; absent on the coarsest level. */
  t?: Float64Array;
}

/**
 * Allocates the context block for `levels` and `members` and writes it: level records, each
 * level's row blocks, the transfer tables between consecutive levels, and the slot pointer.
 * The barrier (at +0) is left for the caller to initialise.
 */
export function writeContext(pool: Pool, levels: Level[], members: number): Int32Array {
  let bytes = HC.LEVEL0 + levels.length * HC.LEVEL_BYTES;
  const place = (size: number, align: number): number => {
    const at = Math.ceil(bytes / align) * align;
    bytes = at + size;
    return at;
  };
  const plan = levels.map((level, l) => {
    const n = level.n;
    const coarse = levels[l + 1];
    return {
      rows: place(4 * (members + 1), 4),
      J: coarse ? place(4 * (n + 2), 4) : 0,
      lo: coarse ? place(4 * (coarse.n + 2), 4) : 0,
      hi: coarse ? place(4 * (coarse.n + 2), 4) : 0,
      A: coarse ? place(8 * (n + 2), 8) : 0,
      B: coarse ? place(8 * (n + 2), 8) : 0,
    };
  });
  const slots = place(2 * members * HC.SLOT_BYTES, 64);
  const ctl = pool.alloc(Int32Array, Math.ceil(bytes / 64) * 16);
  const base = ctl.byteOffset;
  const i32 = (offset: number, length: number): Int32Array => new Int32Array(ctl.buffer, base + offset, length);
  const f64 = (offset: number, length: number): Float64Array => new Float64Array(ctl.buffer, base + offset, length);
  ctl[HC.LEVELS / 4] = levels.length;
  ctl[HC.SLOTS / 4] = base + slots;
  levels.forEach((level, l) => {
    const record = (HC.LEVEL0 + l * HC.LEVEL_BYTES) / 4;
    const at = plan[l]!;
    const n = level.n;
    ctl[record + LV.N / 4] = n;
    ctl[record + LV.U / 4] = level.u.byteOffset;
    ctl[record + LV.G / 4] = level.g?.byteOffset ?? 0;
    ctl[record + LV.T / 4] = level.t?.byteOffset ?? 0;
    ctl[record + LV.ROWS / 4] = base + at.rows;
    i32(at.rows, members + 1).set(rowBlocks(n, members));
    const coarse = levels[l + 1];
    if (!coarse) return;
    const t = transfer(n, coarse.n);
    i32(at.J, n + 2).set(t.J);
    f64(at.A, n + 2).set(t.A);
    f64(at.B, n + 2).set(t.B);
    i32(at.lo, coarse.n + 2).set(t.lo);
    i32(at.hi, coarse.n + 2).set(t.hi);
    ctl[record + LV.J / 4] = base + at.J;
    ctl[record + LV.A / 4] = base + at.A;
    ctl[record + LV.B / 4] = base + at.B;
    ctl[record + LV.LO / 4] = base + at.lo;
    ctl[record + LV.HI / 4] = base + at.hi;
  });
  return ctl;
}

/**
 * Member m owns rows [rows[m], rows[m+1]) of an n-row grid: blocks of ⌈n/members⌉ rows, the
 * same blocks the Jacobi solve uses; on a grid with fewer rows than members the last ones get none.
 */
export function rowBlocks(n: number, members: number): Int32Array {
  const block = Math.ceil(n / members);
  return Int32Array.from({ length: members + 1 }, (_, m) => Math.min(1 + m * block, n + 1));
}

/**
 * Bilinear interpolation from a grid of m interior cells to one of n, both spanning the unit
 * interval with their edges at 0 and 1 (fine cell i at i/(n+1), coarse K at K/(m+1)): fine i
 * lies between coarse J[i] and J[i] + 1, with weights A[i] and B[i]; coarse K interpolates to
 * fine cells lo[K]..hi[K]. All from integer arithmetic and one correctly rounded division each,
 * so the tables are the same bits everywhere. For n = 2m + 1 this is the classic stencil
 * (weights 1 at i = 2K, ½ at i = 2K ± 1).
 */
export function transfer(n: number, m: number): { J: Int32Array; A: Float64Array; B: Float64Array; lo: Int32Array; hi: Int32Array } {
  const J = new Int32Array(n + 2);
  const A = new Float64Array(n + 2);
  const B = new Float64Array(n + 2);
  const lo = new Int32Array(m + 2);
  const hi = new Int32Array(m + 2);
  for (let i = 1; i <= n; i++) {
    const p = i * (m + 1); // position i/(n+1) in units of 1/((n+1)(m+1))
    const k = p % (n + 1);
    J[i] = (p - k) / (n + 1);
    A[i] = (n + 1 - k) / (n + 1);
    B[i] = k / (n + 1);
  }
  const include = (K: number, i: number): void => {
    if (K < 1 || K > m) return;
    if (lo[K] === 0) lo[K] = i;
    hi[K] = i;
  };
  for (let i = 1; i <= n; i++) {
    include(J[i]!, i); // A[i] > 0 always
    if (B[i]! > 0) include(J[i]! + 1, i);
  }
  return { J, A, B, lo, hi };
}
