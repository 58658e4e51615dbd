/**
 * The coordinator's side of one range job on a cluster: the job becomes a BullMQ flow, a parent
 * job (in the queue "<queue>-jobs", which no worker takes) over one child part-job per group of
 * consecutive parts (in "<queue>", which the workers take). A finished child's result is kept in
 * its parent's list of processed children, so the results outlive the coordinator: a coordinator
 * started again with the same job id finds the parent and collects them.
 *
 * Completion is seen from BullMQ's queue events (quick) and from polling the parent's counts of
 * processed and failed children (sure: an event may be missed while the event stream
 * reconnects). Every Redis call has a deadline, and the job fails with a ClusterError once Redis
 * has not answered for `redisTimeoutMs`.
 */
import { AbortError, KernelError, TimeoutError, invalid, messageOf } from "../errors.js";
import type { Progress } from "../pool/progress.js";
import { ClusterError } from "./cluster-error.js";
import { keys, withDeadline, type RedisClient } from "./redis.js";
import { WIRE_VERSION, decodeNumber, fromBase64, type PartJobData, type PartJobResult } from "./wire.js";

type BullMQ = typeof import("bullmq");

/** What a running cluster lends a job: its BullMQ objects and settings. */
export interface JobContext {
  bullmq: BullMQ;
  queueName: string;
  partQueue: import("bullmq").Queue;
  parentQueue: import("bullmq").Queue;
  flows: import("bullmq").FlowProducer;
  events: JobEvents;
  client: RedisClient;
  redisTimeoutMs: number;
  pollMs: number;
  where: string;
}

/** Routes the part queue's events to the jobs waiting for them. */
export class JobEvents {
  private readonly listeners = new Map<string, (event: "completed" | "failed", jobId: string) => void>();

  constructor(events: import("bullmq").QueueEvents) {
    events.on("completed", ({ jobId }) => this.listeners.get(jobOf(jobId))?.("completed", jobId));
    events.on("failed", ({ jobId }) => this.listeners.get(jobOf(jobId))?.("failed", jobId));
  }

  listen(job: string, listener: (event: "completed" | "failed", jobId: string) => void): () => void {
    this.listeners.set(job, listener);
    return () => this.listeners.delete(job);
  }
}

export interface ClusterJobSpec extends Omit<PartJobData, "first" | "count" | "v"> {
  /** Parts per part-job. */
  partsPerJob: number;
  signal?: AbortSignal;
  /** Rejects with a TimeoutError after this many ms, and cancels the job as an abort does. */
  timeoutMs?: number;
  onProgress?: (progress: Progress) => void;
}

export interface ClusterJobResult {
  partials: Float64Array;
  /** Per output, every part's slot bytes (parts in order). */
  outputs: Uint8Array[];
  /** Distinct worker processes that returned results. */
  machines: number;
  /** Worker threads summed over those processes (each counted at the most it used). */
  workers: number;
  partJobs: number;
}

const CHILD_PREFIX = "p";

function parentId(job: string): string {
  return `job-${job}`;
}

function childId(job: string, first: number): string {
  return `${job}.${CHILD_PREFIX}${first}`;
}

function jobOf(child: string): string {
  const dot = child.lastIndexOf(`.${CHILD_PREFIX}`);
  return dot < 0 ? "" : child.slice(0, dot);
}

/** What must match for a restarted coordinator to take over a job already in Redis. */
function fingerprint(s: ClusterJobSpec): string {
  return JSON.stringify([WIRE_VERSION, s.module, s.kernel, s.args, s.spec, s.combine, s.partsPerJob, s.inputs, s.outputs]);
}

export async function runClusterJob(ctx: JobContext, s: ClusterJobSpec): Promise<ClusterJobResult> {
  const { parts } = s.spec;
  const groups: Array<{ first: number; count: number }> = [];
  for (let first = 0; first < parts; first += s.partsPerJob) groups.push({ first, count: Math.min(s.partsPerJob, parts - first) });
  const call = <T>(p: Promise<T>, what: string): Promise<T> => withDeadline(p, ctx.redisTimeoutMs, `${what} (${ctx.where})`);
  if (s.signal?.aborted) throw new AbortError(s.signal.reason);

  const pid = parentId(s.job);
  let parent = await call(ctx.parentQueue.getJob(pid), "looking up the job");
  if (parent) {
    if ((parent.data as { fingerprint?: string }).fingerprint !== fingerprint(s)) {
      throw invalid("jobId", s.job, "the id of no other job in this queue (a job with this id but another kernel, range, arguments or inputs is in Redis)");
    }
  } else {
    // an id used before by an aborted job starts afresh
    await call(ctx.client.del(keys.cancel(ctx.queueName, s.job)), "submitting the job");
    const { partsPerJob: _, signal: _s, timeoutMs: _t, onProgress: _o, ...shared } = s;
    const data = (g: { first: number; count: number }): PartJobData => ({ v: WIRE_VERSION, ...shared, first: g.first, count: g.count });
    const node = await call(ctx.flows.add({
      name: "range-job",
      queueName: ctx.parentQueue.name,
      data: { fingerprint: fingerprint(s), groups: groups.length, parts },
      opts: { jobId: pid },
      children: groups.map((g) => ({
        name: "parts",
        queueName: ctx.queueName,
        data: data(g),
        opts: {
          jobId: childId(s.job, g.first),
          attempts: 1,
          // the result stays in the parent's processed list; the child itself can go
          removeOnComplete: true,
          removeOnFail: 1000,
          // a failure is recorded with the parent (and reported below) instead of blocking it
          ignoreDependencyOnFailure: true,
        },
      })),
    }), "submitting the job's part-jobs");
    parent = node.job;
  }
  const parentJob = parent;

  const partsOf = new Map(groups.map((g) => [childId(s.job, g.first), g.count]));
  const total = groups.length;
  let doneParts = 0;
  let settled = false;

  return await new Promise<ClusterJobResult>((resolve, reject) => {
    // Redis's last answer: the job fails once it is redisTimeoutMs old
    let lastAnswer = Date.now();
    let checking = false;
    let again = false;
    const finish = (e: Error | undefined, r?: ClusterJobResult): void => {
      if (settled) return;
      settled = true;
      stop();
      // a failed job's other part-jobs would only waste the machines (after an abort, onAbort cancels)
      if (e && !(e instanceof AbortError) && !(e instanceof TimeoutError) && !(e instanceof ClusterError && /lost Redis/.test(e.message))) void cancel(ctx, s.job, parentJob);
      if (e) reject(e);
      else resolve(r!);
    };
    const check = async (): Promise<void> => {
      if (checking) { again = true; return; }
      checking = true;
      try {
        do {
          again = false;
          const counts = await call(parentJob.getDependenciesCount({ processed: true, unprocessed: true, ignored: true, failed: true }), "checking the job");
          lastAnswer = Date.now();
          if ((counts.ignored ?? 0) + (counts.failed ?? 0) > 0) {
            const failures = await call(parentJob.getIgnoredChildrenFailures(), "reading the failed part-job");
            finish(failureOf(s.kernel, failures));
            return;
          }
          if ((counts.processed ?? 0) >= total && (counts.unprocessed ?? 0) === 0) {
            const values = await call(parentJob.getChildrenValues<PartJobResult>(), "collecting results");
            finish(undefined, assemble(s, groups, values));
            void call(parentJob.remove(), "removing the finished job").catch(() => {});
            return;
          }
        } while (again && !settled);
      } catch (e) {
        if (e instanceof ClusterError && !settled) {
          // Redis slow or gone: give it redisTimeoutMs since its last answer before failing the job
          const silentMs = Date.now() - lastAnswer;
          if (silentMs >= ctx.redisTimeoutMs) {
            finish(new ClusterError(`lost Redis at ${ctx.where}: no answer for ${(silentMs / 1000).toFixed(1)} s (${messageOf(e)}); ` +
              `the job's finished parts stay in Redis under job id ${JSON.stringify(s.job)} (run it again with that jobId to collect them)`, { cause: e }));
          }
        } else finish(e instanceof Error ? e : new Error(messageOf(e)));
      } finally {
        checking = false;
      }
    };
    const unlisten = ctx.events.listen(s.job, (event, id) => {
      if (event === "completed") {
        const n = partsOf.get(id);
        if (n !== undefined) {
          partsOf.delete(id);
          doneParts += n;
          s.onProgress?.({ done: doneParts, total: parts, fraction: parts ? doneParts / parts : 1 });
        }
        if (partsOf.size === 0) void check();
      } else void check();
    });
    const timer = setInterval(() => void check(), ctx.pollMs);
    const onAbort = (): void => {
      finish(new AbortError(s.signal!.reason));
      void cancel(ctx, s.job, parentJob);
    };
    s.signal?.addEventListener("abort", onAbort, { once: true });
    const deadline = s.timeoutMs === undefined ? undefined : setTimeout(() => {
      finish(new TimeoutError(s.kernel, s.timeoutMs!));
      void cancel(ctx, s.job, parentJob);
    }, s.timeoutMs);
    function stop(): void {
      clearInterval(timer);
      clearTimeout(deadline);
      unlisten();
      s.signal?.removeEventListener("abort", onAbort);
    }
    void check();
  });
}

/** Marks the job cancelled (workers skip its part-jobs) and removes what has not started. */
async function cancel(ctx: JobContext, job: string, parent: import("bullmq").Job): Promise<void> {
  const call = <T>(p: Promise<T>, what: string): Promise<T> => withDeadline(p, ctx.redisTimeoutMs, what);
  try {
    await call(ctx.client.set(keys.cancel(ctx.queueName, job), "1", "EX", 24 * 3600), "marking the job cancelled");
    await call(parent.removeUnprocessedChildren(), "removing pending part-jobs");
    // fails while a part-job is still running: then the parent stays until Redis expires nothing,
    // but its running part-jobs finish into it and nothing waits for them
    await call(parent.remove({ removeChildren: true }), "removing the job").catch(() => {});
  } catch {
    // Redis gone: the cancel mark could not be set; the caller has its AbortError already
  }
}

function failureOf(kernel: string, failures: Record<string, string>): Error {
  const [key, reason] = Object.entries(failures)[0] ?? ["", "unknown"];
  try {
    const t = JSON.parse(reason) as { trap?: string; kernel?: string; part?: number };
    if (typeof t.trap === "string" && typeof t.part === "number") return new KernelError(t.kernel ?? kernel, t.part, t.trap);
  } catch {
    // not a trap
  }
  return new ClusterError(`part-job ${key.split(":").pop()} failed: ${reason}`);
}

function assemble(s: ClusterJobSpec, groups: Array<{ first: number; count: number }>, values: Record<string, PartJobResult>): ClusterJobResult {
  const byFirst = new Map<number, PartJobResult>();
  for (const [key, v] of Object.entries(values)) {
    const id = key.split(":").pop()!;
    if (jobOf(id) === s.job) byFirst.set(v.first, v);
  }
  const partials = new Float64Array(s.spec.parts);
  const outputs = s.outputs.map((o) => new Uint8Array(o.bytesPerPart * s.spec.parts));
  const machines = new Map<string, number>();
  for (const g of groups) {
    const r = byFirst.get(g.first);
    if (!r || r.count !== g.count || r.partials.length !== g.count || r.outputs.length !== s.outputs.length) {
      throw new ClusterError(`the result of parts ${g.first}–${g.first + g.count - 1} is missing or malformed`);
    }
    r.partials.forEach((text, i) => { partials[g.first + i] = decodeNumber(text); });
    s.outputs.forEach((o, k) => {
      const bytes = fromBase64(r.outputs[k]!);
      if (bytes.length !== o.bytesPerPart * g.count) throw new ClusterError(`output ${k} of parts ${g.first}–${g.first + g.count - 1} has ${bytes.length} bytes, not ${o.bytesPerPart * g.count}`);
      outputs[k]!.set(bytes, g.first * o.bytesPerPart);
    });
    machines.set(r.machine, Math.max(machines.get(r.machine) ?? 0, r.workers));
  }
  let workers = 0;
  for (const w of machines.values()) workers += w;
  return { partials, outputs, machines: machines.size, workers, partJobs: groups.length };
}
