/**
 * The job runner (src/pool/job.ts) seen through the public Pool API, in the test's own thread
 * (so that Stryker's per-test coverage sees runJob): an already-aborted signal, an abort or a
 * timeout while a lane provably runs (its kernel sleeps on a mutex the test holds), the progress
 * ticker's cadence and final report, a team member's death (never retried), a call whose worker
 * dies twice, and the cause a trap carries back (built-in classes, a user's class, a throw of a
 * non-Error). Expected values are written out here, never read back from the code under test.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, KernelError, TimeoutError, WorkerError, createPool, type Pool } from "../../dist/index.js";
import { Mutex } from "../../dist/sync-entry.js";
import { until, within } from "../helpers/deadline.js";
import { CRASH_HOST, ROOT, compileFaults } from "../helpers/asc.js";
import { SYNC_DEMOS } from "../sync/fixture.js";

const EXIT = 0; // fixtures/faults.ts: crash(0) ends the worker thread with exit code 7

let demos: Pool;
let faults: Pool;
let js: Pool;
let custom: Pool;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "job-mutants-"));
  const module = join(dir, "throwing.mjs");
  writeFileSync(module, [
    "let memory;",
    "export function init(m) { memory = m; }",
    "class MyError extends Error { name = 'MyError'; }",
    "export function mine(x) { if (x === 1) throw new MyError('mine ' + x); return x; }",
    "export function plain(x) { if (x === 1) throw 'plain ' + x; return x; }",
    "// sleeps until the word at ptr is no longer 0, then throws",
    "export function waitThenThrow(ptr) { Atomics.wait(new Int32Array(memory.buffer, ptr, 1), 0, 0); throw new TypeError('woken'); }",
    "// team member 1 ends its worker; member 0 sleeps until woken, then throws",
    "export function member(m, ptr) { if (m === 1) process.exit(5); return waitThenThrow(ptr); }",
  ].join("\n"));
  [demos, faults, js, custom] = await Promise.all([
    createPool({ workers: 2, module: SYNC_DEMOS }),
    createPool({ workers: 2, module: compileFaults(), hostImports: CRASH_HOST }),
    createPool({ workers: 1, module: join(ROOT, "test/pool/fixtures/js-kernels.mjs") }),
    createPool({ workers: 2, module }),
  ]);
});
afterAll(async () => {
  await Promise.all([demos, faults, js, custom].map((p) => p?.close()));
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `body` with a mutex the test holds; `sleeping()` resolves once a kernel sleeps on it
 * (its word goes from 1, locked, to 2, locked with a sleeper). Always unlocked at the end, so a
 * failed check never leaves a kernel (and close()) waiting.
 */
async function holding(body: (mutex: Mutex, release: () => void, sleeping: () => Promise<void>) => Promise<void>): Promise<void> {
  const mutex = Mutex.create(demos);
  expect(mutex.tryLock()).toBe(true);
  let held = true;
  const release = (): void => { if (held) { held = false; mutex.unlock(); } };
  try {
    await body(mutex, release, () => until(() => Atomics.load(mutex.words, 0) === 2, "the kernel, to sleep on the mutex"));
  } finally {
    release();
  }
}

describe("abort", () => {
  it("an already-aborted signal rejects with its reason before any task runs", async () => {
    const counter = demos.alloc(Int32Array, 1);
    const reason = new Error("too late");
    const e = await demos.apply("syncDemoAtomicIncrements", [counter, 5], { signal: AbortSignal.abort(reason) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect((e as AbortError).reason).toBe(reason);
    const m = await demos.map("syncDemoAtomicIncrements", [[counter, 3]], { signal: AbortSignal.abort(reason) }).catch((x: unknown) => x);
    expect(m).toBeInstanceOf(AbortError);
    // a plain call afterwards: had either aborted call run, the counter would be above 7
    expect(await demos.apply("syncDemoAtomicIncrements", [counter, 7])).toBeNaN();
    expect(counter[0]).toBe(7);
    demos.free(counter);
  });

  it("a map aborted while its lane runs rejects only once the lane has settled, and frees its memory", async () => {
    await holding(async (mutex, release, sleeping) => {
      const counter = demos.alloc(Int32Array, 1);
      const before = demos.arena.allocatedBytes;
      const controller = new AbortController();
      let counterAtRejection = -1;
      const settled = demos.map("syncDemoLockedIncrements", [[counter, mutex, 1, 0]], { signal: controller.signal })
        .then(() => "resolved", (e: unknown) => { counterAtRejection = Atomics.load(counter, 0); return e; });
      await sleeping();
      const reason = new Error("stop");
      controller.abort(reason);
      // a map's lane owns the job's memory: the call must not settle while the lane still sleeps
      expect(await Promise.race([settled, sleep(200).then(() => "still running")])).toBe("still running");
      release();
      const e = await within(settled, "the aborted map, once its lane settled");
      expect(e).toBeInstanceOf(AbortError);
      expect((e as AbortError).reason).toBe(reason);
      expect(counterAtRejection).toBe(1); // the lane's one increment came before the rejection
      expect(demos.arena.allocatedBytes).toBe(before); // the map's arguments and results are freed
      demos.free(counter);
    });
  });
});

describe("timeoutMs", () => {
  it("rejects an apply whose kernel is still running with a TimeoutError naming the kernel and the limit", async () => {
    await holding(async (mutex, release) => {
      const counter = demos.alloc(Int32Array, 1);
      const e = await within(demos.apply("syncDemoLockedIncrements", [counter, mutex, 1, 0], { timeoutMs: 60 }).catch((x: unknown) => x),
        "the timed-out apply to reject while its kernel waits");
      expect(e).toBeInstanceOf(TimeoutError);
      expect((e as Error).message).toBe("kernel syncDemoLockedIncrements did not finish within timeoutMs = 60 ms");
      release();
      expect(await within(demos.apply("syncDemoAtomicIncrements", [counter, 0]), "an apply after the timed-out one")).toBeNaN();
      demos.free(counter);
    });
  });

  it("without timeoutMs a call may take as long as it needs", async () => {
    await holding(async (mutex, release, sleeping) => {
      const counter = demos.alloc(Int32Array, 1);
      const before = demos.arena.allocatedBytes;
      const call = demos.apply("syncDemoLockedIncrements", [counter, mutex, 3, 0]);
      await sleeping();
      expect(demos.arena.allocatedBytes).toBe(before); // an apply owns no job memory: no control block
      await sleep(50);
      release();
      await within(call, "the apply once the mutex is free");
      expect(counter[0]).toBe(3);
      demos.free(counter);
    });
  });
});

describe("onProgress", () => {
  /** A one-item map whose lane is held for `holdMs`; every report with the time it came. */
  async function reports(holdMs: number, progressIntervalMs?: number): Promise<{ at: number; done: number; total: number; fraction: number }[]> {
    const seen: { at: number; done: number; total: number; fraction: number }[] = [];
    await holding(async (mutex, release, sleeping) => {
      const counter = demos.alloc(Int32Array, 1);
      const call = demos.map("syncDemoLockedIncrements", [[counter, mutex, 1, 0]], {
        onProgress: (p) => seen.push({ at: performance.now(), ...p }),
        ...(progressIntervalMs === undefined ? {} : { progressIntervalMs }),
      });
      await sleeping();
      await sleep(holdMs);
      release();
      await within(call, "the map once the mutex is free");
      demos.free(counter);
    });
    return seen;
  }

  it("reports at least 100 ms apart by default, ends with one final report of the finished call, and none after", async () => {
    const seen = await reports(350);
    const final = seen.length;
    expect(seen.at(-1)).toMatchObject({ done: 1, total: 1, fraction: 1 });
    for (const p of seen.slice(0, -1)) expect(p).toMatchObject({ done: 0, total: 1, fraction: 0 });
    // ~350 ms held: three or four ticks at 100 ms, plus the final report (timers never fire early; 1 ms of rounding)
    expect(final).toBeGreaterThanOrEqual(3);
    expect(final).toBeLessThanOrEqual(6);
    for (let i = 1; i < final - 1; i++) expect(seen[i]!.at - seen[i - 1]!.at).toBeGreaterThanOrEqual(99);
    await sleep(250);
    expect(seen.length).toBe(final); // the ticker stopped with the call
  });

  it("an onProgress that throws at the final report fails the call with what it threw", async () => {
    const thrown = new Error("no more reports");
    const e = await js.map("add", [[1, 2], [3, 4]], { onProgress: (p) => { if (p.done === p.total) throw thrown; } }).catch((x: unknown) => x);
    expect(e).toBe(thrown);
  });

  it("the final report counts every item: the per-part watcher has caught up before it", async () => {
    const items = Array.from({ length: 8 }, (_, i) => [i, 1]);
    for (let run = 0; run < 30; run++) {
      let last: { done: number; total: number } | undefined;
      expect(await js.map("add", items, { chunkSize: 1, onProgress: (p) => { last = p; } })).toEqual(items.map(([a]) => a! + 1));
      expect(last).toMatchObject({ done: 8, total: 8, fraction: 1 });
    }
  });

  it("follows progressIntervalMs", async () => {
    const seen = await reports(250, 20);
    // ~250 ms at 20 ms: about a dozen ticks; at 100 ms it would be two or three
    expect(seen.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < seen.length - 1; i++) expect(seen[i]!.at - seen[i - 1]!.at).toBeGreaterThanOrEqual(19);
    expect(seen.at(-1)).toMatchObject({ done: 1, total: 1, fraction: 1 });
  });
});

describe("after the call", () => {
  // Σ i² over [0, 100) = 99·100·199/6
  const SUM = 328_350;
  /** A block over the memory a finished call gave back: nothing may write there any more. */
  const untouched = async (p: Pool, waitMs: number, after: () => void): Promise<void> => {
    const block = p.alloc(Int32Array, 16_384);
    after();
    await sleep(waitMs);
    expect(block.every((v) => v === 0)).toBe(true);
    p.free(block);
  };

  it("its signal no longer reaches it: aborting it later writes nothing into memory the call gave back", async () => {
    const controller = new AbortController();
    expect(await js.mapReduce("sumSquares", [0, 100], { chunkSize: 10, signal: controller.signal })).toBe(SUM);
    await untouched(js, 0, () => controller.abort());
  });

  it("its timeout no longer fires: nothing is written into memory the call gave back", async () => {
    expect(await js.mapReduce("sumSquares", [0, 100], { chunkSize: 10, timeoutMs: 60 })).toBe(SUM);
    await untouched(js, 120, () => {});
  });
});

describe("a worker that dies", () => {
  it("fails a team at once with a WorkerError naming the member and the kernel: members are never retried", async () => {
    const failures: Error[] = [];
    // member m calls crashAt(m, 1, EXIT): member 1 ends its worker, member 0 returns 0
    const e = await within(faults.runTeam({ kernel: "crashAt", workers: 2, args: [1, EXIT], onFailure: (x) => failures.push(x) }).catch((x: unknown) => x),
      "the team whose member died");
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toMatch(/^the worker running lane 1 of kernel crashAt died: .*code 7/);
    expect((e as Error).cause).toBeDefined();
    expect(failures).toEqual([e]);
  });

  it("in a range job, whichever lane held the part: its parts run again and the sum is exact, run after run", async () => {
    const flag = faults.alloc(Int32Array, 1);
    // Σ 2i over [0, 2e7) = 2e7·(2e7 − 1), exact in f64 (every partial sum is an integer below 2^53),
    // in blocks of 1e6 (about a millisecond each, so that both lanes claim blocks); the block at
    // 1.2e7 ends its worker once per run. Which lane holds it varies from run to run: each lane's
    // claims must be told apart from finished parts, so that exactly the dead lane's unfinished
    // parts run again
    for (let run = 0; run < 5; run++) {
      // both workers up (the last run's replacement starts in the background): both lanes run
      await until(() => faults.stats().perWorker.filter((w) => w.alive).length === faults.size, "the pool's workers, all alive");
      flag[0] = 0;
      expect(await within(faults.mapReduce("rangeCrashOnce", [0, 2e7], { chunkSize: 1e6, args: [1.2e7, flag] }), "a range job whose worker died")).toBe(2e7 * (2e7 - 1));
      expect(flag[0]).toBe(1);
    }
    faults.free(flag);
  });

  it("twice under apply: rejected, with the second death as the cause", async () => {
    const e = await within(faults.apply("crashAt", [1, 1, EXIT]).catch((x: unknown) => x), "the apply whose worker died twice");
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toMatch(/^a worker died twice while running kernel crashAt \(the call was retried once\): .*code 7/);
    expect((e as Error).cause).toBeDefined();
    expect(await within(faults.apply("crashAt", [4, -1, EXIT]), "an apply after the deaths")).toBe(8);
  });
});

describe("the failure the caller hears about", () => {
  const wake = (word: Int32Array): void => { Atomics.store(word, 0, 1); Atomics.notify(word, 0); };

  it("the first one wins: a trap after a timeout leaves the TimeoutError", async () => {
    const word = custom.alloc(Int32Array, 1);
    try {
      const settled = custom.map("waitThenThrow", [[word]], { timeoutMs: 40 }).then(() => "resolved", (e: unknown) => e);
      // the map's lane waits on the word: the timeout fires first, the call waits for the lane
      expect(await Promise.race([settled, sleep(150).then(() => "still running")])).toBe("still running");
      wake(word);
      const e = await within(settled, "the timed-out map, once its lane trapped");
      expect(e).toBeInstanceOf(TimeoutError);
      expect((e as Error).message).toBe("kernel waitThenThrow did not finish within timeoutMs = 40 ms");
    } finally {
      wake(word);
    }
    custom.free(word);
  });

  it("except that a trap wins over a worker's death: the KernelError, not the WorkerError", async () => {
    const word = custom.alloc(Int32Array, 1);
    const failures: Error[] = [];
    try {
      // member 1's worker exits; its WorkerError fails the team first, and onFailure releases
      // member 0, which then throws: the caller hears about that trap
      const e = await within(custom.runTeam({ kernel: "member", workers: 2, args: [word.byteOffset], onFailure: (x) => { failures.push(x); wake(word); } })
        .catch((x: unknown) => x), "the team whose member died, then trapped");
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(WorkerError);
      expect((failures[0] as Error).message).toMatch(/^the worker running lane 1 of kernel member died: .*code 5/);
      expect(e).toBeInstanceOf(KernelError);
      expect((e as Error).message).toBe("kernel member trapped in part 0: woken");
      expect((e as Error).cause).toBeInstanceOf(TypeError);
    } finally {
      wake(word);
    }
    custom.free(word);
  });
});

describe("a trap's cause", () => {
  it("a wasm trap: a WebAssembly.RuntimeError", async () => {
    const e = await faults.apply("trapAt", [3, 3]).catch((x: unknown) => x) as KernelError;
    expect(e).toBeInstanceOf(KernelError);
    expect(e.message).toBe("kernel trapAt trapped in part 0: unreachable");
    expect(e.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    expect((e.cause as Error).name).toBe("RuntimeError");
    expect((e.cause as Error).message).toBe("unreachable");
  });

  it("a built-in class thrown by a JS kernel in a map: its own class, its message without the item", async () => {
    const e = await js.map("fail", [1, 2, 3, 4], { chunkSize: 1 }).catch((x: unknown) => x) as KernelError;
    expect(e).toBeInstanceOf(KernelError);
    expect(e.message).toBe("kernel fail trapped in part 2: no threes (3) (item 2)");
    expect(e.cause).toBeInstanceOf(RangeError);
    expect((e.cause as Error).name).toBe("RangeError");
    expect((e.cause as Error).message).toBe("no threes (3)");
  });

  it("a user's class: an Error with the class's name, message and stack", async () => {
    const e = await custom.apply("mine", [1]).catch((x: unknown) => x) as KernelError;
    expect(e).toBeInstanceOf(KernelError);
    const cause = e.cause as Error;
    expect(cause.constructor).toBe(Error);
    expect(cause.name).toBe("MyError");
    expect(cause.message).toBe("mine 1");
    expect(cause.stack).toMatch(/throwing\.mjs/);
  });

  it("a throw of a non-Error: an Error with the thrown value as its message, and a stack of its own", async () => {
    const e = await custom.apply("plain", [1]).catch((x: unknown) => x) as KernelError;
    expect(e).toBeInstanceOf(KernelError);
    expect(e.message).toBe("kernel plain trapped in part 0: plain 1");
    const cause = e.cause as Error;
    expect(cause.constructor).toBe(Error);
    expect(cause.name).toBe("Error");
    expect(cause.message).toBe("plain 1");
    expect(typeof cause.stack).toBe("string");
  });
});
