// Synchronization primitives: an uncontended lock + unlock (target: <= 50 ns) from JS and from a
// kernel, beside pthreads; contended locking and queue throughput between kernels, for scale.
// (The barrier's round trip is measured by the barrier's own suite.)
// Run: node bench/sync.bench.js  (after npm run build)
import { createPool, Mutex, Queue, Semaphore } from "../dist/index.js";
import { runReference } from "./reference.js";
import { add, formatMs, suite } from "./suite.js";

const pool = await createPool({ workers: 2 });
const mutex = Mutex.create(pool);
const sem = Semaphore.create(pool, 4);
const JS_PAIRS = 1e6;
const WASM_PAIRS = 1e7;

function jsLockUnlock() {
  for (let i = 0; i < JS_PAIRS; i++) {
    mutex.lock();
    mutex.unlock();
  }
}
function jsTryLockUnlock() {
  for (let i = 0; i < JS_PAIRS; i++) {
    mutex.tryLock();
    mutex.unlock();
  }
}
function jsSemaphore() {
  for (let i = 0; i < JS_PAIRS; i++) {
    sem.tryAcquire();
    sem.release();
  }
}
for (let i = 0; i < 5; i++) jsLockUnlock(), jsTryLockUnlock(), jsSemaphore();
await pool.apply("syncBenchLockUnlock", [mutex, 1e6]);

const uncontended = await suite(
  "sync: uncontended lock + unlock",
  "sync-uncontended",
  add(`JS Mutex lock+unlock ×${JS_PAIRS.toExponential(0)}`, jsLockUnlock, { minSamples: 10 }),
  add(`JS Mutex tryLock+unlock ×${JS_PAIRS.toExponential(0)}`, jsTryLockUnlock, { minSamples: 10 }),
  add(`JS Semaphore tryAcquire+release ×${JS_PAIRS.toExponential(0)}`, jsSemaphore, { minSamples: 10 }),
  add(`kernel mutexLock+mutexUnlock ×${WASM_PAIRS.toExponential(0)}`, async () => {
    await pool.apply("syncBenchLockUnlock", [mutex, WASM_PAIRS]);
  }, { minSamples: 10 }),
);
const perPair = uncontended.results.map((r) => [r.name, (median(r.details.sampleResults) * 1e9) / (r.name.startsWith("kernel") ? WASM_PAIRS : JS_PAIRS)]);
console.log("\nnanoseconds per pair (median; target <= 50 ns for lock + unlock):");
for (const [name, ns] of perPair) console.log(`  ${name.padEnd(46)} ${ns.toFixed(2)} ns`);
const c = runReference("mutex", [1e8]);
if (c) console.log(`  ${"C pthread_mutex lock+unlock (gcc -O3)".padEnd(46)} ${c} ns`);

// --- contended: 2 kernels on one mutex; queue throughput between kernels -------------------
const CONTENDED_PAIRS = 1e6;
const QUEUE_ITEMS = 2e5;
const counter = pool.alloc(Int32Array, 16);
const seen = pool.alloc(Int32Array, QUEUE_ITEMS);
const contended = await suite(
  "sync: contended, 2 workers",
  "sync-contended",
  add(`2 kernels × ${CONTENDED_PAIRS.toExponential(0)} locked increments`, async () => {
    await Promise.all([0, 1].map(() => pool.apply("syncDemoLockedIncrements", [counter, mutex, CONTENDED_PAIRS, 0])));
  }, { minSamples: 5 }),
  add(`queue (capacity 64): ${QUEUE_ITEMS.toExponential(0)} numbers, kernel → kernel`, async () => {
    const q = Queue.create(pool, 64);
    seen.fill(0);
    const consumer = pool.apply("syncDemoConsume", [q, seen]);
    await pool.apply("syncDemoProduce", [q, 0, QUEUE_ITEMS]);
    q.close();
    await consumer;
    pool.free(q.words);
  }, { minSamples: 5 }),
);
const [lockRun, queueRun] = contended.results.map((r) => median(r.details.sampleResults));
console.log(`\n  contended lock+unlock: ${((lockRun * 1e9) / (2 * CONTENDED_PAIRS)).toFixed(1)} ns per pair (both workers together)`);
console.log(`  queue: ${(QUEUE_ITEMS / queueRun).toExponential(2)} items/s (${formatMs((queueRun * 1e3))} per run)`);

await pool.close();

function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
