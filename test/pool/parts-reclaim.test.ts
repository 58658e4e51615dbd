/**
 * Parts jobs after a lane's death (src/pool/jobs/parts.ts, `retry`): the parts a dead lane held
 * are set free and handed, exactly those, to a new lane; a lane that died holding none is
 * replaced while parts are left, one spare per slot; one that died once every part was claimed
 * is not replaced. And the lanes that follow a lane which ended (`next`): none after one that
 * stopped at the last part, finished nothing, or ended after another lane trapped; a job left
 * with parts never claimed fails.
 *
 * Which lane holds which part when it dies is a race on real workers, so most tests here run on
 * a scripted backend in the test's own thread: each "worker" runs its lane through the real
 * claim loop (executeTask, with a budget where it stops early), or claims a part as a worker
 * does (control-block.ts: NEXT, then FREE → CLAIMED + lane), and dies by rejecting, as a dead
 * worker's task does. Scripts are keyed by the order in which the pool sends tasks; the first
 * lanes are 0, 1, …, so a test can make the completion log's first entry, the word after the
 * part states, equal CLAIMED + 0 (a scan one word too far would take it for lane 0's claim).
 * One test does the same on real workers: a JS kernel that ends its worker once, in one part.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelError, WorkerError, createPool, partition, type Pool } from "../../dist/index.js";
import { platform, setPlatform, type BackendInit, type Platform } from "../../dist/platform/platform.js";
import { Control, PartState, controlWords, startLane, stateIndex } from "../../dist/platform/control-block.js";
import { executeTask, type KernelExports, type RangeTask, type Task, type TaskResult } from "../../dist/platform/task.js";
import { setUpKernels } from "../../dist/platform/worker-setup.js";
import type { Backend } from "../../dist/platform/backend.js";
import { until, within } from "../helpers/deadline.js";

let dir: string;
let module: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "parts-reclaim-"));
  module = join(dir, "kernels.mjs");
  writeFileSync(module, [
    "let memory;",
    "export function init(m) { memory = m; }",
    "// Σ i² over [start, end), adding 1 to the Int32 word counts + 4·i for each i",
    "export function countSquares(start, end, counts) {",
    "  const seen = new Int32Array(memory.buffer, counts, end);",
    "  let s = 0;",
    "  for (let i = start; i < end; i++) { Atomics.add(seen, i, 1); s += i * i; }",
    "  return s;",
    "}",
    "// countSquares, but throws at element `at`",
    "export function countSquaresThrowAt(start, end, counts, at) {",
    "  if (start <= at && at < end) throw new RangeError(`element ${at}`);",
    "  return countSquares(start, end, counts);",
    "}",
    "// countSquares, but the first call whose block holds `at` ends its worker (the Int32 word at `flag` 0 → 1)",
    "export function dieOnceAt(start, end, counts, flag, at) {",
    "  const s = countSquares(start, end, counts);",
    "  if (start <= at && at < end && Atomics.compareExchange(new Int32Array(memory.buffer, flag, 1), 0, 0, 1) === 0) process.exit(7);",
    "  return s;",
    "}",
  ].join("\n"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const squares = (start: number, end: number): number => { let s = 0; for (let i = start; i < end; i++) s += i * i; return s; };

/** What a scripted worker can do with its lane's task. */
interface Worker {
  task: RangeTask;
  /** Runs the lane through the real claim loop; with `budget`, it stops claiming after that many parts. */
  run(budget?: number): TaskResult;
  /** Claims the next part as a worker does (the lane started, NEXT, FREE → CLAIMED + lane) and keeps it unfinished. */
  claim(): number;
}
/** A lane's script: what its worker does, then the lane's result (a throw: the worker died). */
type Script = (w: Worker) => Promise<TaskResult> | TaskResult;

/**
 * "Workers" in the test's thread over the pool's shared memory. The n-th task the pool sends runs
 * `scripts[n]` (absent: the plain claim loop); `tasks` lists them in that order.
 */
class ScriptedBackend implements Backend {
  readonly size: number;
  readonly tasks: Array<{ lane: number; retry: number[] }> = [];
  scripts = new Map<number, Script>();

  constructor(private readonly init: BackendInit, private readonly exports: KernelExports) {
    this.size = init.size;
    const ready = new Int32Array(init.memory.buffer, init.readyCounter, 1); // word 0: workers ready (ready.ts)
    Atomics.add(ready, 0, init.size);
    Atomics.notify(ready, 0);
  }

  async run(task: Task): Promise<TaskResult> {
    const { memory } = this.init;
    const script = task.kind === "range" ? this.scripts.get(this.tasks.length) : undefined;
    if (task.kind === "range") this.tasks.push({ lane: task.lane, retry: [...task.retry] }); // as sent, even if cancelled before it runs
    await new Promise((resolve) => setImmediate(resolve)); // a message round trip
    if (task.kind !== "range") return executeTask(this.exports, memory, task);
    const worker: Worker = {
      task,
      run: (budget) => executeTask(this.exports, memory, task, budget === undefined ? undefined : { left: budget }),
      claim: () => {
        if (!startLane(memory, task.ticket)) throw new Error(`lane ${task.lane} was cancelled`);
        const ctl = new Int32Array(memory.buffer, task.control, controlWords(task.parts));
        const j = Atomics.add(ctl, Control.NEXT, 1);
        if (Atomics.compareExchange(ctl, stateIndex(j), PartState.FREE, PartState.CLAIMED + task.lane) !== PartState.FREE) throw new Error(`part ${j} was not free`);
        return j;
      },
    };
    return script ? script(worker) : worker.run();
  }

  async close(): Promise<void> {}
}

/** A gate a script waits at until the test (or another script) opens it. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { open, opened };
}

describe("a parts job whose lanes die (scripted workers)", () => {
  let node: Platform;
  let pool: Pool;
  let backend: ScriptedBackend;
  let counts: Int32Array;
  const PARTS = 6;
  /** Σ i² over [0, 6) in parts of one element, each element counted in `counts`. */
  const run = (workers: number): Promise<Float64Array> =>
    pool.runRange({ kernel: "countSquares", args: [counts.byteOffset], spec: partition(0, PARTS, { chunkSize: 1 }), workers }).then((r) => r.partials);
  const reference = Array.from({ length: PARTS }, (_, j) => squares(j, j + 1));

  beforeAll(async () => {
    node = platform();
    setPlatform({ ...node, createBackend: async (init) => (backend = new ScriptedBackend(init, await setUpKernels(init.setup, init.memory))) });
    try {
      pool = await createPool({ workers: 3, module });
    } finally {
      setPlatform(node);
    }
    counts = pool.alloc(Int32Array, PARTS + 2); // two words past the parts: a call past the range would show there
  });
  afterAll(async () => {
    await pool?.close();
  });
  const fresh = (): void => {
    counts.fill(0);
    backend.tasks.length = 0;
    backend.scripts.clear();
  };
  const died = (lane: number): Error => new Error(`the worker of lane ${lane} ended`);

  it("the parts two dead lanes held, exactly those, go to new lanes, which run them first: every part runs once", async () => {
    fresh();
    const first = gate();
    const second = gate();
    // lanes 0 and 1 claim parts 0 and 1 and die holding them; lane 2 finishes part 2 first (the
    // first entry of the completion log, which follows the part states: 2 = CLAIMED + lane 0)
    // and stops, and its slot's next lane runs parts 3–5
    backend.scripts.set(0, async (w) => { expect([w.task.lane, w.claim()]).toEqual([0, 0]); await first.opened; throw died(0); });
    backend.scripts.set(1, async (w) => { expect([w.task.lane, w.claim()]).toEqual([1, 1]); await second.opened; throw died(1); });
    backend.scripts.set(2, (w) => w.run(1));
    backend.scripts.set(3, (w) => { const r = w.run(); first.open(); return r; });
    backend.scripts.set(4, (w) => { const r = w.run(); second.open(); return r; });
    expect(Array.from(await within(run(3), "the job whose lanes 0 and 1 died"))).toEqual(reference);
    expect(backend.tasks.map((t) => t.retry)).toEqual([[], [], [], [], [0], [1]]);
    expect(new Set(backend.tasks.map((t) => t.lane)).size).toBe(6);
    expect(Array.from(counts)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("a lane that dies holding no part while parts are left is followed by a new lane on its slot", async () => {
    fresh();
    backend.scripts.set(0, (w) => { w.run(2); throw died(0); }); // finished parts 0 and 1, then died before answering
    expect(Array.from(await within(run(1), "the job whose only lane died between parts"))).toEqual(reference);
    expect(backend.tasks).toEqual([{ lane: 0, retry: [] }, { lane: 1, retry: [] }]);
    expect(Array.from(counts)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("a second lane of the same slot that dies holding no part fails the job with a WorkerError, the death its cause", async () => {
    fresh();
    const second = died(1);
    backend.scripts.set(0, (w) => { w.run(1); throw died(0); });
    backend.scripts.set(1, (w) => { w.run(1); throw second; });
    const e = await within(run(1).catch((x: unknown) => x), "the job whose lanes kept dying");
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toBe("workers keep dying while running kernel countSquares: the worker of lane 1 ended");
    expect((e as Error).cause).toBe(second);
    expect(backend.tasks).toEqual([{ lane: 0, retry: [] }, { lane: 1, retry: [] }]);
    expect(Array.from(counts)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("the spares are one per slot: with two slots, the third lane that dies holding no part fails the job", async () => {
    fresh();
    const third = died(1);
    const replaced = gate();
    const jobOver = gate();
    // tasks in the order sent: lane 0, lane 1, lane 0's replacement, that one's replacement
    backend.scripts.set(0, (w) => { w.run(1); throw died(0); }); // spare 1 of 2
    backend.scripts.set(1, async (w) => { await replaced.opened; w.run(1); throw third; }); // lane 1 dies last
    backend.scripts.set(2, (w) => { w.run(1); throw died(2); }); // spare 2 of 2
    // the last replacement claims nothing before the job is over (it is cancelled by then)
    backend.scripts.set(3, async (w) => { replaced.open(); await jobOver.opened; return w.run(); });
    // a fifth task must not be sent; if it is, it ends the job (which then succeeds) at once
    backend.scripts.set(4, (w) => { jobOver.open(); return w.run(); });
    try {
      const e = await within(run(2).catch((x: unknown) => x), "the job whose lanes kept dying");
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as Error).message).toBe("workers keep dying while running kernel countSquares: the worker of lane 1 ended");
      expect((e as Error).cause).toBe(third);
      expect(backend.tasks.map((t) => t.retry)).toEqual([[], [], [], []]);
      expect(backend.tasks.slice(0, 2).map((t) => t.lane)).toEqual([0, 1]);
      expect(Array.from(counts)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    } finally {
      jobOver.open();
    }
  });

  it("a lane that dies holding no part once every part is claimed is not replaced: the job ends with the others' work", async () => {
    fresh();
    // a budget of exactly 6 parts: the lane stops without claiming past the end (NEXT = 6 = parts)
    backend.scripts.set(0, (w) => { w.run(PARTS); throw died(0); });
    expect(Array.from(await within(run(1), "the job whose lane died after the last part"))).toEqual(reference);
    expect(backend.tasks).toEqual([{ lane: 0, retry: [] }]);
    expect(Array.from(counts)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("a lane that stops at the last part (its worker's budget spent) is not followed by another lane", async () => {
    fresh();
    // a budget of exactly 6 parts: the lane stops without claiming past the end (NEXT = 6 = parts)
    backend.scripts.set(0, (w) => w.run(PARTS));
    expect(Array.from(await within(run(1), "the job whose lane stopped at the last part"))).toEqual(reference);
    expect(backend.tasks).toEqual([{ lane: 0, retry: [] }]);
  });

  it("a lane that ends having finished no part is not followed by another on its slot (no endless relaunch): the other lane finishes the job", async () => {
    fresh();
    backend.scripts.set(0, (w) => w.run(0)); // stops before its first claim
    expect(Array.from(await within(run(2), "the job whose lane 0 finished nothing"))).toEqual(reference);
    expect(backend.tasks).toEqual([{ lane: 0, retry: [] }, { lane: 1, retry: [] }]);
    expect(Array.from(counts)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("a job whose lanes all end with parts never claimed fails with a WorkerError counting them, not with partial results", async () => {
    fresh();
    backend.scripts.set(0, (w) => w.run(2)); // parts 0 and 1, then stops (its worker's budget spent)
    backend.scripts.set(1, (w) => w.run(0)); // its slot's next lane finishes nothing: the slot ends
    const e = await within(run(1).catch((x: unknown) => x), "the job left with parts 2–5 unclaimed");
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toBe("kernel countSquares ended with 4 of 6 parts unfinished");
    expect(backend.tasks).toEqual([{ lane: 0, retry: [] }, { lane: 1, retry: [] }]);
  });

  it("after a trap in another lane, a lane that stopped early is not followed by another lane (the cancel flag is set)", async () => {
    fresh();
    const trapped = gate();
    // lane 0 finishes part 0 and stops (its worker's budget spent); its answer arrives after lane 1
    // has trapped in part 1 (setting the cancel flag) but before lane 1's trap does
    backend.scripts.set(0, async (w) => { const r = w.run(1); await trapped.opened; return r; });
    backend.scripts.set(1, async (w) => {
      const r = w.run();
      trapped.open();
      await new Promise((resolve) => setImmediate(resolve));
      return r;
    });
    const e = await within(pool.runRange({ kernel: "countSquaresThrowAt", args: [counts.byteOffset, 1], spec: partition(0, PARTS, { chunkSize: 1 }), workers: 2 })
      .catch((x: unknown) => x), "the job whose lane 1 trapped");
    expect(e).toBeInstanceOf(KernelError);
    expect(((e as Error).cause as Error).message).toBe("element 1");
    expect(backend.tasks).toEqual([{ lane: 0, retry: [] }, { lane: 1, retry: [] }]);
    expect(Array.from(counts)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe("a parts job whose worker dies in one part (real workers)", () => {
  it("the part runs again on another lane: the partials are the plain sums, the fatal part ran twice, every other once", async () => {
    const pool = await createPool({ workers: 2, module });
    try {
      const parts = 20;
      const counts = pool.alloc(Int32Array, parts);
      const flag = pool.alloc(Int32Array, 1);
      const r = await within(pool.runRange({ kernel: "dieOnceAt", args: [counts.byteOffset, flag.byteOffset, 13], spec: partition(0, parts, { chunkSize: 1 }) }),
        "the range job whose part 13 ended its worker once");
      expect(Array.from(r.partials)).toEqual(Array.from({ length: parts }, (_, j) => squares(j, j + 1)));
      expect(flag[0]).toBe(1);
      expect(Array.from(counts)).toEqual(Array.from({ length: parts }, (_, j) => (j === 13 ? 2 : 1)));
      await until(() => pool.stats().workersReplaced === 1, "the dead worker's replacement");
    } finally {
      await pool.close();
    }
  });
});
