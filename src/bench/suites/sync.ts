/**
 * The synchronization primitives' latencies: an uncontended lock + unlock of the JS Mutex, its
 * tryLock, a Semaphore's tryAcquire + release (per pair), and the kernels' barrier: one step of
 * pool.iterate on 2 lanes, i.e. a barrier in shared memory plus a lane-order reduction (per step).
 * The kernel-side mutex and queue are measured by the repository's bench/sync.bench.js, with
 * the demo kernels built as a test fixture (the package's kernels have none).
 */
import { jsPiTerm } from "../reference-js.js";
import { Mutex } from "../../sync/mutex.js";
import { Semaphore } from "../../sync/semaphore.js";
import { repeated, repeatedAsync, size, type CaseDef, type SuiteDef } from "../suite-def.js";

/**
 * The step kernel of the barrier case: piMidpointScalar called as (lane, lanes, iteration), i.e.
 * over the terms [lane, 2) of n = iteration, at most 2 terms: a step that does next to nothing.
 */
const STEP_KERNEL = "piMidpointScalar";

export const syncSuite: SuiteDef = {
  name: "sync",
  description: "lock + unlock latencies of the shared-memory primitives (per pair), and pool.iterate's barrier + reduction (per step)",
  baseline: null,
  async prepare(ctx) {
    const { pool } = ctx;
    const mutex = Mutex.create(pool);
    const sem = Semaphore.create(pool, 4);
    const jsPairs = size(ctx, 2e5, 1e6);
    const steps = size(ctx, 2000, 20_000);

    const lockUnlock = () => { for (let i = 0; i < jsPairs; i++) { mutex.lock(); mutex.unlock(); } };
    const tryLockUnlock = () => { for (let i = 0; i < jsPairs; i++) { mutex.tryLock(); mutex.unlock(); } };
    const semaphore = () => { for (let i = 0; i < jsPairs; i++) { sem.tryAcquire(); sem.release(); } };

    const cases: CaseDef[] = [
      { kind: "latency", variant: "js-lock", workers: 0, name: "JS Mutex lock+unlock", items: jsPairs, itemName: "pairs", run: repeated(lockUnlock, ctx.repeat) },
      { kind: "latency", variant: "js-trylock", workers: 0, name: "JS Mutex tryLock+unlock", items: jsPairs, itemName: "pairs", run: repeated(tryLockUnlock, ctx.repeat) },
      { kind: "latency", variant: "js-semaphore", workers: 0, name: "JS Semaphore tryAcquire+release", items: jsPairs, itemName: "pairs", run: repeated(semaphore, ctx.repeat) },
    ];
    // lanes meet at a barrier in shared memory: without it the pool runs iterate in the calling thread
    let checked = "the JS primitives only";
    const name = "pool.iterate step, 2 lanes (barrier + reduction)";
    if (ctx.workers < 2 || !pool.workersShareMemory) {
      cases.push({ kind: "latency", variant: "iterate-step", workers: 2, name, items: steps, itemName: "steps", skipped: ctx.workers < 2 ? "needs 2 workers" : "needs workers sharing memory (not available here)" });
    } else {
      // the reduced value of 10 steps: the larger lane's, lane 0's two terms at n = 9 (the last step's iteration)
      const r = await pool.iterate({ kernel: STEP_KERNEL, lanes: 2, maxIterations: 10 });
      const expected = jsPiTerm(0, 9) + jsPiTerm(1, 9);
      if (r.iterations !== 10 || r.value !== expected) throw new Error(`bench check failed: 10 iterate steps on 2 lanes gave ${r.iterations} steps, value ${r.value}; expected 10, ${expected}`);
      checked = "10 pool.iterate steps on 2 lanes: the max over the lanes, bit for bit";
      cases.push({ kind: "latency", variant: "iterate-step", workers: 2, name, items: steps, itemName: "steps",
        run: repeatedAsync(() => pool.iterate({ kernel: STEP_KERNEL, lanes: 2, maxIterations: steps }), ctx.repeat) });
    }
    return {
      cases,
      checked,
      teardown() {
        pool.free(mutex.words);
        pool.free(sem.words);
      },
    };
  },
};
