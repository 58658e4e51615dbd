/**
 * The pool's calls as jobs: each checks its arguments, builds its spec (jobs/), asks placement
 * where it runs, and hands it to the one runner (job.ts). Loaded on a pool's first call.
 */
import { invalid } from "../errors.js";
import { MAX_BLOCK, type PartitionSpec } from "../plan/partition.js";
import * as check from "../validate.js";
import { argValues, type KernelArg } from "./args.js";
import { CALL_KEYS, type IterateOptions, type IterateResult, type RangeJob, type RangeJobResult, type TeamJob, type TeamJobResult } from "./call-types.js";
import { callOptions, checkArity } from "./call-options.js";
import { runJob } from "./job.js";
import { applyJob, teamJob } from "./jobs/call.js";
import { iterateJob, type IterateProgress } from "./jobs/iterate.js";
import { IterateReduce, iterateBlockBytes } from "../platform/iterate-block.js";
import { partsJob } from "./jobs/parts.js";
import { place } from "./placement.js";
import type { PoolHost as Pool } from "./host.js";
import { progressOf, type Progress } from "./progress.js";

// only pages that are not cross-origin isolated run jobs on private memories: loaded on first use
let privateParts: typeof import("./jobs/private-parts.js") | undefined;

export async function apply(pool: Pool, kernel: string, args: readonly KernelArg[], options: unknown): Promise<number> {
  pool.assertKernel(kernel);
  return applyNamed(pool, kernel, args, options);
}

/** apply once the kernel's name is checked: the pool's own warm-up (path-warm-up.ts) calls its item functions here. */
export async function applyNamed(pool: Pool, kernel: string, args: readonly KernelArg[], options: unknown): Promise<number> {
  const { call } = callOptions<object, Progress>("apply", options);
  const values = argValues(pool.arena, args, "args");
  checkArity(pool.inline.exports[kernel], kernel, values.length, "args");
  // a call may read or write the pool's memory: without shared memory it runs here
  return runJob(place(pool), applyJob(kernel, values), call);
}

const RANGE_KEYS = ["kernel", "args", "spec", "workers", "combine", "inlineBelow", "privateMemory"];

export async function runRange(pool: Pool, job: RangeJob): Promise<RangeJobResult> {
  return runRangeNamed(pool, job, (kernel) => pool.assertKernel(kernel));
}

/** runRange with the check of the kernel's name given: the pool's own warm-up passes its item functions. */
export async function runRangeNamed(pool: Pool, job: RangeJob, checkKernel: (kernel: unknown) => asserts kernel is string): Promise<RangeJobResult> {
  const { options: o, call } = callOptions<RangeJob, Progress>("runRange", job, RANGE_KEYS);
  checkKernel(o.kernel);
  const kernel = o.kernel;
  const spec = checkSpec(o.spec);
  const args = argValues(pool.arena, o.args, "args");
  checkArity(pool.inline.exports[kernel], kernel, args.length, "args", ["blockStart", "blockEnd"]);
  const workers = Math.min(check.optionalInteger("workers", o.workers, 1, pool.size, pool.size), Math.max(spec.parts, 1));
  const combine = o.combine === undefined ? "sum" : check.oneOf("combine", o.combine, ["sum", "min", "max"] as const);
  const inlineBelow = check.optionalInteger("inlineBelow", o.inlineBelow, 0, 2 ** 53, 0);
  const use = o.privateMemory;
  if (use !== undefined) {
    if (typeof use !== "object" || use === null) throw invalid("privateMemory", use, "an object { inputs?, partOutputs? }");
    if (use.inputs !== undefined || use.partOutputs !== undefined) (privateParts ??= await import("./jobs/private-parts.js")).checkPrivateMemory(pool.arena, use, spec.parts);
  }
  const placement = place(pool, { inline: spec.end - spec.start < inlineBelow, allowsPrivateMemory: use !== undefined });
  const { parts } = spec;
  if (parts === 0) return { partials: new Float64Array(0), workers: 0, backend: "inline" };
  if (placement.kind === "private") {
    const { privatePartsJob } = privateParts ??= await import("./jobs/private-parts.js");
    const partials = await runJob(placement, privatePartsJob({ kernel, args, spec, combine, workers, memory: pool.memory, use: use! }), call);
    return { partials, workers, backend: "workers" };
  }
  const lanes = placement.kind === "inline" ? 1 : workers;
  pool.arena.ensureCanAllocate(parts * 8 + (4 + 3 * lanes + 2 * parts) * 4 + 128, "the job's partial results and control block");
  const results = pool.arena.alloc(Float64Array, parts);
  const partials = await runJob(placement, partsJob<Float64Array, Progress>({
    kernel, parts, lanes,
    task: (ref, retry) => ({ kind: "range", kernel, args, spec, results: results.byteOffset, combine, retry, ...ref }),
    progress: (done) => progressOf(done, parts),
    result: () => results.slice(),
    release: () => pool.arena.free(results),
  }), call);
  return { partials, workers: lanes, backend: placement.kind === "inline" ? "inline" : "workers" };
}

const ITERATE_KEYS = ["kernel", "args", "lanes", "reduce", "until", "maxIterations", "checkEvery", "phases", "barrierTimeoutMs"];

export async function iterate(pool: Pool, job: IterateOptions): Promise<IterateResult> {
  const { options: o, call } = callOptions<IterateOptions, IterateProgress>("iterate", job, ITERATE_KEYS);
  pool.assertKernel(o.kernel);
  const kernel = o.kernel;
  const inline = !pool.workersShareMemory;
  // lanes must all run at once: where the workers share no memory, only one lane can
  const lanes = check.optionalInteger("lanes", o.lanes, 1, inline ? 1 : pool.size, inline ? 1 : pool.size);
  const args = argValues(pool.arena, o.args, "args");
  // with phases the kernel also takes the phase: (lane, lanes, iteration, phase, ...args)
  const phased = o.phases !== undefined;
  const phases = check.optionalInteger("phases", o.phases, 1, 2 ** 31 - 1, 1);
  checkArity(pool.inline.exports[kernel], kernel, args.length, "args", phased ? ["lane", "lanes", "iteration", "phase"] : ["lane", "lanes", "iteration"]);
  const reduce = o.reduce === undefined ? "max" : check.oneOf("reduce", o.reduce, ["max", "min", "sum"] as const);
  const maxIterations = check.integer("maxIterations", o.maxIterations, 1, 2 ** 31 - 1);
  const checkEvery = check.optionalInteger("checkEvery", o.checkEvery, 1, 2 ** 31 - 1, 1);
  const barrierTimeoutMs = check.optionalTimeout("barrierTimeoutMs", o.barrierTimeoutMs) ?? 10_000;
  let untilMode = -1;
  let threshold = 0;
  if (o.until !== undefined) {
    const u = o.until as { below?: unknown; above?: unknown } | null;
    const allowed = "{ below: number } or { above: number }";
    if (typeof u !== "object" || u === null || Object.keys(u).length !== 1 || (!("below" in u) && !("above" in u))) throw invalid("until", o.until, allowed);
    untilMode = "below" in u ? 0 : 1;
    threshold = check.finite(untilMode === 0 ? "until.below" : "until.above", untilMode === 0 ? u.below : u.above);
  }
  const placement = place(pool, { inline });
  return serialize(pool, async () => {
    const block = pool.arena.alloc(Int32Array, iterateBlockBytes(lanes) / 4);
    const started = performance.now();
    try {
      const outcome = await runJob(placement, iterateJob({
        kernel, args, lanes, block: block.byteOffset, maxIterations, reduce: IterateReduce[reduce], untilMode, threshold, checkEvery, barrierTimeoutMs, phases, phased,
      }, block), call);
      return { ...outcome, lanes, backend: inline ? "inline" : "workers", elapsedMs: performance.now() - started } satisfies IterateResult;
    } finally {
      pool.arena.free(block);
    }
  });
}

const TEAM_KEYS = ["kernel", "args", "workers", "onFailure", "progress"];

export async function runTeam(pool: Pool, job: TeamJob): Promise<TeamJobResult> {
  const { options: o, call } = callOptions<TeamJob, unknown>("runTeam", job, TEAM_KEYS);
  pool.assertKernel(o.kernel);
  const inline = !pool.workersShareMemory;
  // members must all run at once: where the workers share no memory, only a team of one can
  const members = check.integer("workers", o.workers, 1, inline ? 1 : pool.size);
  const args = argValues(pool.arena, o.args, "args");
  checkArity(pool.inline.exports[o.kernel], o.kernel, args.length, "args", ["member"]);
  check.callback("onFailure", o.onFailure);
  check.callback("progress", o.progress);
  const placement = place(pool, { inline });
  return serialize(pool, async () => {
    const values = await runJob(placement, teamJob({ kernel: o.kernel!, args, members, onFailure: o.onFailure, progress: o.progress }), call);
    return { values, workers: members, backend: inline ? "inline" : "workers" } satisfies TeamJobResult;
  });
}

/**
 * Team jobs of one pool run one after another: members of two teams sharing too few workers
 * would each wait at their barrier for members queued behind the other.
 */
const turns = new WeakMap<Pool, Promise<unknown>>();

function serialize<T>(pool: Pool, run: () => Promise<T>): Promise<T> {
  const turn = (turns.get(pool) ?? Promise.resolve()).then(run);
  turns.set(pool, turn.catch(() => undefined));
  return turn;
}

function checkSpec(spec: unknown): PartitionSpec {
  const s = spec as PartitionSpec | undefined;
  const allowed = "a PartitionSpec from partition()";
  if (typeof s !== "object" || s === null || !["block", "cyclic", "block-cyclic"].includes(s.scheme)) throw invalid("spec", spec, allowed);
  for (const k of ["start", "end", "parts", "blockSize"] as const) {
    if (typeof s[k] !== "number" || !Number.isInteger(s[k])) throw invalid(`spec.${k}`, s[k], `an integer (${allowed})`);
  }
  if (s.blockSize > MAX_BLOCK) {
    throw invalid("chunkSize", s.blockSize, `an integer from 1 to ${MAX_BLOCK} (2^30): one kernel call takes one block, and an abort waits for one call`);
  }
  return s;
}

export { CALL_KEYS };
