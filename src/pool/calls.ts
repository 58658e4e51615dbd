/**
 * The pool's calls as jobs: each checks its arguments, builds its spec (jobs/), asks placement
 * where it runs, and hands it to the one runner (job.ts). Loaded on a pool's first call.
 */
import { invalid } from "../errors.js";
import { MAX_BLOCK, type PartitionSpec } from "../plan/partition.js";
import * as check from "../validate.js";
import { argValues, type KernelArg } from "./args.js";
import { CALL_KEYS, type RangeJob, type RangeJobResult, type TeamJob, type TeamJobResult } from "./call-types.js";
import { callOptions, checkArity } from "./call-options.js";
import { runJob } from "./job.js";
import { applyJob, teamJob } from "./jobs/call.js";
import { partsJob } from "./jobs/parts.js";
import { checkPrivateMemory, privatePartsJob } from "./jobs/private-parts.js";
import { place } from "./placement.js";
import type { PoolHost as Pool } from "./host.js";
import { progressOf, type Progress } from "./progress.js";

export async function apply(pool: Pool, kernel: string, args: readonly KernelArg[], options: unknown): Promise<number> {
  pool.assertKernel(kernel);
  const { call } = callOptions<object, Progress>("apply", options);
  const values = argValues(pool.arena, args, "args");
  checkArity(pool.inline.exports[kernel], kernel, values.length, "args");
  // a call may read or write the pool's memory: without shared memory it runs here
  return runJob(place(pool), applyJob(kernel, values), call);
}

const RANGE_KEYS = ["kernel", "args", "spec", "workers", "combine", "inlineBelow", "privateMemory"];

export async function runRange(pool: Pool, job: RangeJob): Promise<RangeJobResult> {
  const { options: o, call } = callOptions<RangeJob, Progress>("runRange", job, RANGE_KEYS);
  pool.assertKernel(o.kernel);
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
    checkPrivateMemory(pool.memory, use, spec.parts);
  }
  const placement = place(pool, { inline: spec.end - spec.start < inlineBelow, allowsPrivateMemory: use !== undefined });
  const { parts } = spec;
  if (parts === 0) return { partials: new Float64Array(0), workers: 0, backend: "inline" };
  if (placement.kind === "private") {
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
