/**
 * The heat plate: the steady temperature of a square plate of N×N interior cells inside a
 * fixed boundary, by Jacobi iteration (the default), red–black SOR (heat-sor.ts) or multigrid
 * (heat-multigrid.ts). The grids live once in shared memory; the interior rows are split into
 * one block per worker, and each worker runs the whole solve in one kernel call
 * (assembly/heat.ts, heat-sor.ts, heat-multigrid.ts), meeting the others at a barrier in shared
 * memory after every step. The main thread only sets up, watches the shared counters for
 * progress, and reads the result.
 */
import { AbortError, MemoryLimitError, WorkerError, invalid } from "../errors.js";
import { MAX_MEMORY_BYTES, RESERVED_BYTES } from "../memory/arena.js";
import { partition, type PartitionSpec } from "../plan/partition.js";
import type { Pool, Progress } from "../pool/pool.js";
import { BARRIER_WORDS, Barrier } from "../sync/barrier.js";
import * as check from "../validate.js";
import { sleepAsyncOn } from "../sync/wait.js";
import { defineWorkload, type CommonOptions, type CommonResult } from "./define.js";
import { HC } from "./heat-context.js";
import { heatGridBytes, type HeatMethod } from "./heat-grid.js";
import { HEAT_MULTIGRID_DEFAULT_MAX_CYCLES, multigridTeam } from "./heat-multigrid.js";
import { sorTeam } from "./heat-sor.js";
import type { HeatTeam } from "./heat-team.js";

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

/**
 * Mirrors the control block layout written down in assembly/heat.ts (byte offsets; the barrier
 * is at offset 0).
 */
const Ctl = { STATUS: 64, ITERATIONS: 68, MAX_DIFF: 72, ROWS: 128, SLOT_BYTES: 64 } as const;
const Status = { RUNNING: 0, CONVERGED: 1, ITERATION_LIMIT: 2, CANCELLED: 3, TIMED_OUT: 4 } as const;

function controlBytes(members: number): number {
  return Ctl.ROWS + align64(4 * (members + 1)) + 2 * members * Ctl.SLOT_BYTES;
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
    const timeoutMs = options.barrierTimeoutMs === undefined ? HEAT_DEFAULT_BARRIER_TIMEOUT_MS
      : check.finite("barrierTimeoutMs", options.barrierTimeoutMs, { min: 0, max: 2 ** 31, exclusiveMin: true });
    const gridBytes = heatGridBytes(n, method);
    if (gridBytes > MAX_MEMORY_BYTES - RESERVED_BYTES) throw new MemoryLimitError(gridBytes, MAX_MEMORY_BYTES - RESERVED_BYTES, plateWhat(n, method));
    return { n, edges, initial, method, tolerance, maxIterations, timeoutMs };
  },
  async run(ctx, { n, edges, initial, method, tolerance, maxIterations, timeoutMs }) {
    const { pool, signal, onProgress } = ctx;
    const intervalMs = ctx.progressIntervalMs ?? 100;
    const gridBytes = heatGridBytes(n, method);
    const what = plateWhat(n, method);
    // without shared memory (a browser page that is not cross-origin isolated) the solve runs in
    // the calling thread, as one member that never waits at the barrier
    const spec = rowBlocks(n, pool.workersShareMemory ? ctx.workers : 1);
    const members = spec.parts;
    pool.arena.ensureCanAllocate(gridBytes, what);
    // not zero-filled: fillPlate writes every cell (and Jacobi's first sweep every interior cell of B)
    const plate = pool.arena.alloc(Float64Array, (n + 2) ** 2, 64, false);
    const regions: Array<Float64Array | Int32Array> = [plate];
    const release = (): void => {
      for (const r of regions) pool.free(r);
    };
    let releaseLater = false;
    try {
      fillPlate(plate, n, edges, initial);
      const stop = { tolerance, maxIterations, timeoutMs };
      const team = method === "jacobi" ? jacobiTeam(pool, plate, n, spec, stop)
        : method === "sor" ? sorTeam(pool, plate, n, members, stop)
        : multigridTeam(pool, plate, n, members, stop);
      regions.push(...team.regions);
      const { ctl } = team;
      const barrier = new Barrier(ctl.subarray(0, BARRIER_WORDS)).init(members);
      const run = solve(pool, { method, kernel: team.kernel, args: team.args, members, ctl, barrier, tolerance, maxIterations, timeoutMs, intervalMs, signal, onProgress });
      // a member that never started (its worker held up) would keep the grids in use: free them
      // only once every member has returned, even when the solve was rejected before that
      releaseLater = true;
      run.team.then(release, release);
      const { elapsedMs } = await run.outcome;
      const iterations = Atomics.load(ctl, Ctl.ITERATIONS / 4);
      const maxDiff = loadF64(ctl, Ctl.MAX_DIFF);
      const grid = team.grid(iterations).slice();
      return {
        grid,
        size: n,
        method,
        iterations,
        maxDiff,
        residual: method === "jacobi" ? residualOf(grid, n) : loadF64(ctl, HC.RESIDUAL),
        converged: Atomics.load(ctl, Ctl.STATUS / 4) === Status.CONVERGED,
        centre: centre(grid, n),
        workers: members,
        backend: pool.workersShareMemory ? "workers" : "inline",
        parts: members,
        chunkSize: spec.blockSize,
        elapsedMs,
      };
    } finally {
      if (!releaseLater) release();
    }
  },
});

function plateWhat(n: number, method: HeatMethod): string {
  return `a ${n}×${n} heat plate (${method === "jacobi" ? `two ${n + 2}×${n + 2} grids of f64` : method})`;
}

/** Jacobi's second grid and control block (layout: assembly/heat.ts). */
function jacobiTeam(pool: Pool, gridA: Float64Array, n: number, spec: PartitionSpec, stop: { tolerance: number; maxIterations: number; timeoutMs: number }): HeatTeam {
  const members = spec.parts;
  const gridB = pool.arena.alloc(Float64Array, (n + 2) ** 2, 64, false);
  let ctl: Int32Array;
  try {
    ctl = pool.alloc(Int32Array, controlBytes(members) / 4);
  } catch (e) {
    pool.free(gridB);
    throw e;
  }
  copyBoundary(gridA, gridB, n);
  for (let m = 0; m < members; m++) ctl[Ctl.ROWS / 4 + m] = spec.start + m * spec.blockSize;
  ctl[Ctl.ROWS / 4 + members] = spec.end;
  return {
    kernel: "heatSolve",
    args: [members, n, gridA.byteOffset, gridB.byteOffset, ctl.byteOffset, stop.tolerance, stop.maxIterations, stop.timeoutMs],
    ctl,
    regions: [gridB, ctl],
    grid: (iterations) => (iterations % 2 === 1 ? gridB : gridA),
  };
}

interface Solve {
  method: HeatMethod;
  kernel: string;
  args: number[];
  members: number;
  ctl: Int32Array;
  barrier: Barrier;
  tolerance: number;
  maxIterations: number;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: HeatProgress) => void;
}

/**
 * Starts the members as a team job and watches their status word. The pool's runner handles
 * the signal, the progress ticker (reading the counters member 0 publishes), a member that traps
 * or dies (onFailure aborts the barrier the others wait at) and members still queued (cancelled).
 * A member that times out at the barrier writes TIMED_OUT: the watcher then ends the job too,
 * so that a member held up behind other work is not waited for.
 */
function solve(pool: Pool, s: Solve): { team: Promise<unknown>; outcome: Promise<{ elapsedMs: number }> } {
  const { ctl, barrier } = s;
  const statusWord = Ctl.STATUS / 4;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(s.signal?.reason);
  s.signal?.addEventListener("abort", onAbort, { once: true });
  if (s.signal?.aborted) onAbort(); // aborted while the default pool was starting
  const started = performance.now();
  const team = pool.runTeam({
    kernel: s.kernel,
    args: s.args,
    workers: s.members,
    signal: stop.signal,
    onFailure: () => barrier.abort(),
    progress: s.onProgress ? progressReporter(s) : undefined,
    onProgress: s.onProgress as ((p: unknown) => void) | undefined,
    progressIntervalMs: s.intervalMs,
  });
  // wakes the status watcher below when the members end without writing a status (all died)
  const wakeWatcher = (): void => { Atomics.notify(ctl, statusWord); };
  team.then(wakeWatcher, wakeWatcher);
  void (async () => {
    const ended = team.then(() => "ended", () => "ended");
    while (Atomics.load(ctl, statusWord) === Status.RUNNING && !stop.signal.aborted) {
      const wait = sleepAsyncOn(ctl, statusWord, Status.RUNNING);
      if (await Promise.race([wait, ended]) === "ended") return;
    }
    if (Atomics.load(ctl, statusWord) === Status.TIMED_OUT) stop.abort(stopError(Status.TIMED_OUT, undefined, s.timeoutMs));
  })();
  const outcome = team.then(
    () => {
      const status = Atomics.load(ctl, statusWord);
      if (status !== Status.CONVERGED && status !== Status.ITERATION_LIMIT) throw stopError(status, undefined, s.timeoutMs);
      return { elapsedMs: performance.now() - started };
    },
    (e: unknown) => {
      // the runner's AbortError carries the reason: a barrier timeout is said as such
      const reason = stop.signal.reason;
      if (e instanceof AbortError && reason instanceof WorkerError) throw reason;
      throw e;
    },
  ).finally(() => s.signal?.removeEventListener("abort", onAbort));
  return { team, outcome };
}

function stopError(status: number, failure: Error | undefined, timeoutMs: number): Error {
  if (failure) return failure;
  if (status === Status.TIMED_OUT) {
    return new WorkerError(`heat: a worker waited at the sweep barrier for more than barrierTimeoutMs = ${timeoutMs} ms; ` +
      "another worker of the solve died or was held up (is the pool busy with other work?)");
  }
  if (status === Status.CANCELLED) return new AbortError();
  return new WorkerError(`heat: the workers ended without finishing the solve (status ${status})`);
}

/** Reads the counters member 0 publishes after each sweep (or cycle). */
function progressReporter(s: Solve): () => HeatProgress {
  let first = 0;
  return () => {
    const iteration = Atomics.load(s.ctl, Ctl.ITERATIONS / 4);
    const maxDiff = iteration === 0 ? Infinity : loadF64(s.ctl, Ctl.MAX_DIFF);
    const residual = s.method === "jacobi" ? undefined : iteration === 0 ? Infinity : loadF64(s.ctl, HC.RESIDUAL);
    // what the tolerance bounds falls roughly geometrically: progress towards it on a log scale
    const measure = residual ?? maxDiff;
    if (iteration > 0) first ||= measure;
    const towardsTolerance = iteration === 0 ? 0 : first <= s.tolerance ? 1 : Math.log(first / measure) / Math.log(first / s.tolerance);
    const fraction = Math.min(1, Math.max(0, towardsTolerance, iteration / s.maxIterations));
    return { done: iteration, total: s.maxIterations, fraction, iteration, maxDiff, ...(residual === undefined ? {} : { residual }) };
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

const f64Bits = new BigInt64Array(1);
const f64View = new Float64Array(f64Bits.buffer);

/** An f64 the kernel stores atomically as i64 bits. */
function loadF64(ctl: Int32Array, byteOffset: number): number {
  f64Bits[0] = Atomics.load(new BigInt64Array(ctl.buffer, ctl.byteOffset + byteOffset, 1), 0);
  return f64View[0]!;
}

function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
