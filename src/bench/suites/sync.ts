/**
 * The synchronization primitives' latencies: an uncontended lock + unlock from JS and from a
 * kernel, a semaphore's tryAcquire + release, a mutex contended by two kernels, and a queue
 * between two kernels. Per item = per pair (per number, for the queue).
 */
import { Mutex } from "../../sync/mutex.js";
import { Queue } from "../../sync/queue.js";
import { Semaphore } from "../../sync/semaphore.js";
import { repeated, repeatedAsync, size, type CaseDef, type SuiteDef } from "../suite-def.js";

export const syncSuite: SuiteDef = {
  name: "sync",
  description: "lock + unlock and queue latencies of the shared-memory primitives (per pair / per number)",
  baseline: null,
  async prepare(ctx) {
    const { pool } = ctx;
    const mutex = Mutex.create(pool);
    const sem = Semaphore.create(pool, 4);
    const jsPairs = size(ctx, 2e5, 1e6);
    const kernelPairs = size(ctx, 2e6, 1e7);
    const contendedPairs = size(ctx, 1e5, 1e6);
    const queueItems = size(ctx, 2e4, 2e5);
    const counter = pool.alloc(Int32Array, 16);
    const seen = pool.alloc(Int32Array, queueItems);

    const lockUnlock = () => { for (let i = 0; i < jsPairs; i++) { mutex.lock(); mutex.unlock(); } };
    const tryLockUnlock = () => { for (let i = 0; i < jsPairs; i++) { mutex.tryLock(); mutex.unlock(); } };
    const semaphore = () => { for (let i = 0; i < jsPairs; i++) { sem.tryAcquire(); sem.release(); } };
    const before = counter[0]!;
    await pool.apply("syncDemoLockedIncrements", [counter, mutex, 1000, 0]);
    if (counter[0] !== before + 1000) throw new Error(`bench check failed: 1000 locked increments by a kernel gave ${counter[0]! - before}`);

    const cases: CaseDef[] = [
      { kind: "latency", variant: "js-lock", workers: 0, name: "JS Mutex lock+unlock", items: jsPairs, itemName: "pairs", run: repeated(lockUnlock, ctx.repeat) },
      { kind: "latency", variant: "js-trylock", workers: 0, name: "JS Mutex tryLock+unlock", items: jsPairs, itemName: "pairs", run: repeated(tryLockUnlock, ctx.repeat) },
      { kind: "latency", variant: "js-semaphore", workers: 0, name: "JS Semaphore tryAcquire+release", items: jsPairs, itemName: "pairs", run: repeated(semaphore, ctx.repeat) },
      {
        kind: "latency", variant: "kernel-lock", workers: 1, name: "kernel mutexLock+mutexUnlock", items: kernelPairs, itemName: "pairs",
        run: repeatedAsync(() => pool.apply("syncBenchLockUnlock", [mutex, kernelPairs]), ctx.repeat),
      },
    ];
    // Two kernels at once need workers on one memory: elsewhere the pool runs kernels in the
    // calling thread one after another (a consumer there would wait forever for its producer).
    const noSharing = pool.workersShareMemory ? undefined : "needs workers sharing memory (not available here)";
    const twoWorkers = ctx.workers < 2 ? "needs 2 workers" : noSharing;
    const contended = async () => {
      await Promise.all([0, 1].map(() => pool.apply("syncDemoLockedIncrements", [counter, mutex, contendedPairs, 0])));
    };
    const queue = async () => {
      const q = Queue.create(pool, 64);
      try {
        const consumer = pool.apply("syncDemoConsume", [q, seen]);
        await pool.apply("syncDemoProduce", [q, 0, queueItems]);
        q.close();
        await consumer;
      } finally {
        pool.free(q.words);
      }
    };
    cases.push(twoWorkers
      ? { kind: "latency", variant: "contended", workers: 2, name: "2 kernels on one mutex, lock+unlock", items: 2 * contendedPairs, itemName: "pairs", skipped: twoWorkers }
      : { kind: "latency", variant: "contended", workers: 2, name: "2 kernels on one mutex, lock+unlock", items: 2 * contendedPairs, itemName: "pairs", run: repeatedAsync(contended, ctx.repeat) });
    cases.push(twoWorkers
      ? { kind: "latency", variant: "queue", workers: 2, name: "queue (capacity 64), kernel → kernel", items: queueItems, itemName: "numbers", skipped: twoWorkers }
      : { kind: "latency", variant: "queue", workers: 2, name: "queue (capacity 64), kernel → kernel", items: queueItems, itemName: "numbers", run: repeatedAsync(queue, ctx.repeat) });
    return {
      cases,
      checked: "1000 locked increments by a kernel",
      teardown() {
        pool.free(counter);
        pool.free(seen);
        pool.free(mutex.words);
        pool.free(sem.words);
      },
    };
  },
};
