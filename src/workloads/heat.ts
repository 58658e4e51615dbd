/**
 * The heat plate: the steady temperature of a square plate of N×N interior cells inside a
 * fixed boundary, by Jacobi iteration (the default), red–black SOR (heat-sor.ts) or multigrid
 * (heat-multigrid.ts). The grids live once in shared memory; the interior rows are split into
 * one block per worker, and the solve is a user of Pool.iterate: each worker runs the method's
 * step kernel (assembly/heat.ts, heat-sor.ts, heat-multigrid.ts) in one long task, meeting the
 * others at a barrier in shared memory after every step, where the sweep's or cycle's maximum
 * is reduced and tested. The main thread only sets up, reads progress from the shared counters,
 * and reads the result.
 */
import { MemoryLimitError, invalid } from "../errors.js";
import { MAX_MEMORY_BYTES, RESERVED_BYTES } from "../memory/arena.js";
import { partition, type PartitionSpec } from "../plan/partition.js";
import type { IterateProgress, Pool, Progress } from "../pool/pool.js";
import * as check from "../validate.js";
import { defineWorkload, type CommonOptions, type CommonResult } from "./define.js";
import { heatGridBytes, type HeatMethod } from "./heat-grid.js";
import { HEAT_MULTIGRID_DEFAULT_MAX_CYCLES, multigridSolve } from "./heat-multigrid.js";
import type { HeatSolve } from "./heat-solve.js";
import { sorSolve } from "./heat-sor.js";

export { heatGridBytes, HEAT_MULTIGRID_DEFAULT_MAX_CYCLES, type HeatMethod };

export const HEAT_METHODS: readonly HeatMethod[] = ["jacobi", "sor", "multigrid"];
export const HEAT_MAX_SIZE = 1_000_000;
export const HEAT_DEFAULT_TOLERANCE = 1e-4;
export const HEAT_DEFAULT_MAX_ITERATIONS = 100_000;
export const HEAT_DEFAULT_BARRIER_TIMEOUT_MS = 10_000;
/** Bound on boundary and initial values: four of them still add up without overflow. */
export const HEAT_MAX_ABS_VALUE = 1e300;

/** A boundary edge: one value for all of it, or N+2 values (index 0 at the left or top end). */
export type HeatEdge = number | ArrayLike<number>;

export interface HeatProgress extends Progress {
  /** Sweeps done. */
  iteration: number;
  /** Largest |new − old| of the latest sweep. */
  maxDiff: number;
  /** sor and multigrid: the residual after the latest sweep or cycle (see HeatResult.residual). */
  residual?: number;
}

export interface HeatOptions extends CommonOptions<HeatProgress> {
  /** N, the interior cells per side: the grid is (N+2)×(N+2) with the boundary. */
  size: number;
  /** Row 0, corners included. Default 0. */
  top?: HeatEdge;
  /** Row N+1, corners included. Default 0. */
  bottom?: HeatEdge;
  /** Column 0; its first and last values are corners, which belong to top and bottom. Default 0. */
  left?: HeatEdge;
  /** Column N+1, as left. Default 0. */
  right?: HeatEdge;
  /** Starting value of every interior cell. Default 0. */
  initial?: number;
  /**
   * "jacobi" (default): Jacobi sweeps; "sor": red–black successive over-relaxation with the
   * optimal ω for N; "multigrid": V(2,2) multigrid cycles. docs/algorithms.md compares them.
   */
  method?: HeatMethod;
  /**
   * Stop when this is met (> 0). Default 1e-4. jacobi: once a sweep's largest |new − old| is
   * below it. sor and multigrid: once the residual after a sweep (sor) or a cycle (multigrid)
   * is below it — the max-norm of the discrete Laplacian, which bounds the distance to the
   * exact discrete solution by residual / 8 in every cell (HeatResult.residual).
   */
  tolerance?: number;
  /** Stop after this many sweeps (jacobi, sor; default 100 000) or cycles (multigrid; default 100) at most. */
  maxIterations?: number;
  /** A worker waiting at the sweep barrier longer than this fails the solve. Default 10 000 ms. */
  barrierTimeoutMs?: number;
}

export interface HeatResult extends CommonResult {
  /** The final (N+2)² grid, row-major, boundary included. */
  grid: Float64Array;
  size: number;
  method: HeatMethod;
  /** Sweeps (jacobi, sor) or V-cycles (multigrid) done. */
  iterations: number;
  /** Largest |new − old| of the last sweep (multigrid: of the last smoothing sweep on the plate). */
  maxDiff: number;
  /**
   * The returned grid's residual: max over interior cells of |Δh u| = |up + down + left + right
   * − 4u|·(N+1)², the 5-point Laplacian with the plate as the unit square. Laplace's equation
   * asks for 0; by the discrete maximum principle no cell is further than residual / 8 from the
   * exact solution of the discrete equations. sor and multigrid stop on it; for jacobi it is
   * computed once, after the solve.
   */
  residual: number;
  /** Time of the solve itself: from starting the workers to their return. */
  elapsedMs: number;
  converged: boolean;
  /** The value at the plate's centre (the mean of the four central cells for even N). */
  centre: number;
}

interface HeatConfig {
  n: number;
  edges: Record<"top" | "bottom" | "left" | "right", number | Float64Array>;
  initial: number;
  method: HeatMethod;
  tolerance: number;
  maxIterations: number;
  timeoutMs: number;
}

/**
 * The heat plate by Jacobi iteration: rows in one block per worker, one long task per worker,
 * a barrier and a max reduction in shared memory per sweep. `backend` is "inline" where the
 * workers share no memory (a browser page that is not cross-origin isolated): the calling
 * thread then solves as one member.
 */
export const heat = defineWorkload<HeatOptions, HeatConfig, HeatResult, HeatProgress>({
  name: "heat",
  example: "heat({ size: 256, top: 100 })",
  keys: ["size", "top", "bottom", "left", "right", "initial", "method", "tolerance", "maxIterations", "barrierTimeoutMs"],
  ranges: { why: "its workers meet at a barrier in one shared memory after every sweep; across machines that is a halo exchange per sweep, MPI's job" },
  check(options) {
    const n = check.integer("size", options.size, 1, HEAT_MAX_SIZE);
    const edges = {
      top: edge("top", options.top, n),
      bottom: edge("bottom", options.bottom, n),
      left: edge("left", options.left, n),
      right: edge("right", options.right, n),
    };
    const initial = options.initial === undefined ? 0 : value("initial", options.initial);
    const method = options.method === undefined ? "jacobi" : check.oneOf("method", options.method, HEAT_METHODS);
    const tolerance = options.tolerance === undefined ? HEAT_DEFAULT_TOLERANCE : check.finite("tolerance", options.tolerance, { min: 0, exclusiveMin: true });
    const maxIterations = check.optionalInteger("maxIterations", options.maxIterations, 1, 2 ** 31 - 1,
      method === "multigrid" ? HEAT_MULTIGRID_DEFAULT_MAX_CYCLES : HEAT_DEFAULT_MAX_ITERATIONS);
    const timeoutMs = check.optionalTimeout("barrierTimeoutMs", options.barrierTimeoutMs) ?? HEAT_DEFAULT_BARRIER_TIMEOUT_MS;
    const gridBytes = heatGridBytes(n, method);
    if (gridBytes > MAX_MEMORY_BYTES - RESERVED_BYTES) throw new MemoryLimitError(gridBytes, MAX_MEMORY_BYTES - RESERVED_BYTES, plateWhat(n, method));
    return { n, edges, initial, method, tolerance, maxIterations, timeoutMs };
  },
  async run(ctx, { n, edges, initial, method, tolerance, maxIterations, timeoutMs }) {
    const { pool, signal, onProgress } = ctx;
    const gridBytes = heatGridBytes(n, method);
    const what = plateWhat(n, method);
    // without shared memory (a browser page that is not cross-origin isolated) Pool.iterate
    // runs the solve in the calling thread, as one lane
    const spec = rowBlocks(n, pool.workersShareMemory ? ctx.workers : 1);
    const lanes = spec.parts;
    pool.arena.ensureCanAllocate(gridBytes, what);
    // not zero-filled: fillPlate writes every cell (and Jacobi's first sweep every interior cell of B)
    const plate = pool.arena.alloc(Float64Array, (n + 2) ** 2, 64, false);
    const regions: Array<Float64Array | Int32Array> = [plate];
    try {
      fillPlate(plate, n, edges, initial);
      const solve = method === "jacobi" ? jacobiSolve(pool, plate, n)
        : method === "sor" ? sorSolve(pool, plate, n, lanes)
        : multigridSolve(pool, plate, n, lanes);
      regions.push(...solve.regions);
      // Pool.iterate settles only once no lane runs: the grids can be freed then, whatever happened
      const r = await pool.iterate({
        kernel: solve.kernel,
        args: solve.args,
        lanes,
        ...(solve.phases === undefined ? {} : { phases: solve.phases }),
        reduce: "max",
        until: { below: tolerance },
        maxIterations,
        barrierTimeoutMs: timeoutMs,
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress: progressReporter(solve, method, tolerance, maxIterations, onProgress), progressIntervalMs: ctx.progressIntervalMs ?? 100 } : {}),
      });
      const grid = solve.grid(r.iterations).slice();
      // jacobi: the reduced value is the sweep's max change; sor, multigrid: the residual, with the max change in the lanes' slots
      const maxDiff = solve.maxima ? solve.maxima(r.iterations).maxDiff : r.value;
      return {
        grid,
        size: n,
        method,
        iterations: r.iterations,
        maxDiff,
        residual: solve.maxima ? r.value : residualOf(grid, n),
        converged: r.converged,
        centre: centre(grid, n),
        workers: lanes,
        backend: r.backend,
        parts: lanes,
        chunkSize: spec.blockSize,
        elapsedMs: r.elapsedMs,
      };
    } finally {
      for (const region of regions) pool.free(region);
    }
  },
});

function plateWhat(n: number, method: HeatMethod): string {
  return `a ${n}×${n} heat plate (${method === "jacobi" ? `two ${n + 2}×${n + 2} grids of f64` : method})`;
}

/** Jacobi's second grid: sweep k reads one grid and writes the other (assembly/heat.ts heatJacobiStep). */
function jacobiSolve(pool: Pool, gridA: Float64Array, n: number): HeatSolve {
  const gridB = pool.arena.alloc(Float64Array, (n + 2) ** 2, 64, false);
  copyBoundary(gridA, gridB, n);
  return {
    kernel: "heatJacobiStep",
    args: [n, gridA.byteOffset, gridB.byteOffset],
    regions: [gridB],
    grid: (iterations) => (iterations % 2 === 1 ? gridB : gridA),
  };
}

/**
 * Heat's progress from the pool's: sweeps or cycles done, the latest max change and (sor,
 * multigrid) residual. Jacobi's max change is the reduced value itself; the red–black methods
 * reduce the residual and keep the max change in the lanes' slots (HeatSolve.maxima).
 */
function progressReporter(solve: HeatSolve, method: HeatMethod, tolerance: number, maxIterations: number, onProgress: (p: HeatProgress) => void): (p: IterateProgress) => void {
  let first = 0;
  return (p) => {
    const { iteration, maxDiff, residual } = solve.maxima ? solve.maxima(p.iteration)
      : { iteration: p.iteration, maxDiff: p.iteration === 0 ? Infinity : p.value, residual: undefined };
    // what the tolerance bounds falls roughly geometrically: progress towards it on a log scale
    const measure = residual ?? maxDiff;
    if (iteration > 0) first ||= measure;
    const towardsTolerance = iteration === 0 ? 0 : first <= tolerance ? 1 : Math.log(first / measure) / Math.log(first / tolerance);
    const fraction = Math.min(1, Math.max(0, towardsTolerance, iteration / maxIterations));
    onProgress({ done: iteration, total: maxIterations, fraction, iteration, maxDiff, ...(method === "jacobi" ? {} : { residual }) });
  };
}

/** One block of consecutive rows per worker, from the foundation's partitioner. */
function rowBlocks(n: number, workers: number): PartitionSpec {
  return partition(1, n + 1, { scheme: "block", chunkSize: Math.ceil(n / workers) });
}

function fillPlate(grid: Float64Array, n: number, edges: Record<"top" | "bottom" | "left" | "right", number | Float64Array>, initial: number): void {
  const w = n + 2;
  const at = (e: number | Float64Array, i: number): number => (typeof e === "number" ? e : e[i]!);
  for (let r = 1; r <= n; r++) {
    const row = r * w;
    grid.fill(initial, row + 1, row + n + 1);
    grid[row] = at(edges.left, r);
    grid[row + n + 1] = at(edges.right, r);
  }
  // corners belong to top and bottom
  for (let c = 0; c < w; c++) {
    grid[c] = at(edges.top, c);
    grid[(n + 1) * w + c] = at(edges.bottom, c);
  }
}

/** The fixed boundary (rows 0 and n+1, columns 0 and n+1) of `from` into `to`. */
function copyBoundary(from: Float64Array, to: Float64Array, n: number): void {
  const w = n + 2;
  to.set(from.subarray(0, w));
  to.set(from.subarray((n + 1) * w), (n + 1) * w);
  for (let r = 1; r <= n; r++) {
    to[r * w] = from[r * w]!;
    to[r * w + n + 1] = from[r * w + n + 1]!;
  }
}

/**
 * max |((up + down) + left) + right − 4u| · (N+1)² over the interior: the residual the
 * red–black kernels compute (assembly/heat-relax.ts), here for Jacobi's result.
 */
function residualOf(u: Float64Array, n: number): number {
  const w = n + 2;
  let worst = 0;
  for (let r = 1; r <= n; r++) {
    for (let i = r * w + 1, end = r * w + n + 1; i < end; i++) {
      const t = Math.abs(u[i - w]! + u[i + w]! + u[i - 1]! + u[i + 1]! - 4 * u[i]!);
      if (t > worst) worst = t;
    }
  }
  return worst * ((n + 1) * (n + 1));
}

/** (u[a][a] + u[a][b] + u[b][a] + u[b][b]) / 4, a = N/2, b = a + 1, for even N; the middle cell for odd N. */
function centre(grid: Float64Array, n: number): number {
  const w = n + 2;
  if (n % 2 === 1) {
    const m = (n + 1) / 2;
    return grid[m * w + m]!;
  }
  const a = n / 2;
  const b = a + 1;
  return (grid[a * w + a]! + grid[a * w + b]! + grid[b * w + a]! + grid[b * w + b]!) / 4;
}

function edge(name: string, e: unknown, n: number): number | Float64Array {
  if (e === undefined) return 0;
  if (typeof e === "number") return value(name, e);
  if (typeof e !== "object" || e === null || typeof (e as ArrayLike<number>).length !== "number") {
    throw invalid(name, e, `a number or an array of size + 2 = ${n + 2} numbers`);
  }
  const values = e as ArrayLike<unknown>;
  if (values.length !== n + 2) throw invalid(name, e, `a number or an array of size + 2 = ${n + 2} numbers`);
  const out = new Float64Array(n + 2);
  for (let i = 0; i < out.length; i++) out[i] = value(`${name}[${i}]`, values[i]);
  return out;
}

function value(name: string, v: unknown): number {
  return check.finite(name, v, { min: -HEAT_MAX_ABS_VALUE, max: HEAT_MAX_ABS_VALUE });
}
