// Synchronization primitives: an uncontended lock + unlock (target: <= 50 ns; RLock <= 60 ns) from
// JS and from a kernel, beside pthreads; Event set -> wake and Condition notify -> wake latency
// between two worker threads (target <= 5 us each); contended locking and queue throughput
// between kernels, for scale. (The barrier's round trip is measured by the barrier's own suite.)
// Run: node bench/sync.bench.js  (after npm test or npm run build && npm run asbuild:fixtures:
// the kernels used here are the test fixture build/test-fixtures/sync-demos.wasm)
import { Worker } from "node:worker_threads";
import { cpus } from "node:os";
import { createPool } from "../dist/index.js";
import { Mutex, Queue, RLock, Semaphore, Event, Condition } from "../dist/sync-entry.js";
import { runReference } from "./reference.js";
import { add, formatMs, suite } from "./suite.js";

const pool = await createPool({ workers: 2, module: new URL("../build/test-fixtures/sync-demos.wasm", import.meta.url) });
console.log(`CPU: ${cpus()[0]?.model} (${cpus().length} cores)`);
const mutex = Mutex.create(pool);
const sem = Semaphore.create(pool, 4);
const rlock = RLock.create(pool);
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
function jsRLock() {
  for (let i = 0; i < JS_PAIRS; i++) {
    rlock.lock();
    rlock.unlock();
  }
}
function jsSemaphore() {
  for (let i = 0; i < JS_PAIRS; i++) {
    sem.tryAcquire();
    sem.release();
  }
}
for (let i = 0; i < 5; i++) jsLockUnlock(), jsTryLockUnlock(), jsRLock(), jsSemaphore();
await pool.apply("syncBenchLockUnlock", [mutex, 1e6]);

const uncontended = await suite(
  "sync: uncontended lock + unlock",
  "sync-uncontended",
  add(`JS Mutex lock+unlock ×${JS_PAIRS.toExponential(0)}`, jsLockUnlock, { minSamples: 10 }),
  add(`JS Mutex tryLock+unlock ×${JS_PAIRS.toExponential(0)}`, jsTryLockUnlock, { minSamples: 10 }),
  add(`JS RLock lock+unlock ×${JS_PAIRS.toExponential(0)}`, jsRLock, { minSamples: 10 }),
  add(`JS Semaphore tryAcquire+release ×${JS_PAIRS.toExponential(0)}`, jsSemaphore, { minSamples: 10 }),
  add(`kernel mutexLock+mutexUnlock ×${WASM_PAIRS.toExponential(0)}`, async () => {
    await pool.apply("syncBenchLockUnlock", [mutex, WASM_PAIRS]);
  }, { minSamples: 10 }),
);
const perPair = uncontended.results.map((r) => [r.name, (median(r.details.sampleResults) * 1e9) / (r.name.startsWith("kernel") ? WASM_PAIRS : JS_PAIRS)]);
console.log("\nnanoseconds per pair (median; target <= 50 ns for lock + unlock, <= 60 ns for the RLock):");
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

// --- wake-up latency between two worker threads: ping-pong, one hop = a set (notify) -> wake ----
const HOPS = 20_000;
/** Runs `side` in two worker threads over the pool's memory; resolves with the pinger's µs per hop. */
function pingPong(body, offsets) {
  const dist = new URL("../dist/index.js", import.meta.url).href;
  const code = (me) => `
    const { parentPort, workerData: w } = require("node:worker_threads");
    import(${JSON.stringify(dist)}).then((m) => {
      const at = (o) => new Int32Array(w.buffer, o, 16);
      const me = ${me}; const hops = ${HOPS};
      ${body}
    });`;
  const run = (me) => new Promise((resolve, reject) => {
    const worker = new Worker(code(me), { eval: true, workerData: { buffer: pool.memory.buffer, ...offsets } });
    worker.once("message", (m) => { resolve(m); void worker.terminate(); });
    worker.once("error", reject);
  });
  return Promise.all([run(0), run(1)]).then(([us]) => us);
}
// events a (0 → 1) and b (1 → 0): each side waits for its event, clears it, sets the other's
const eventBody = `
  const mine = new m.Event(at(me === 0 ? w.b : w.a)), theirs = new m.Event(at(me === 0 ? w.a : w.b));
  const round = () => { if (me === 0) theirs.set(); mine.wait(); mine.clear(); if (me === 1) theirs.set(); };
  for (let i = 0; i < 2000; i++) round();
  const t0 = performance.now();
  for (let i = 0; i < hops / 2; i++) round();
  parentPort.postMessage(((performance.now() - t0) * 1000) / hops);`;
// one Mutex, a turn word, one condition per side: set the turn, notify, wait for it to come back
const conditionBody = `
  const mine = new m.Condition(at(me === 0 ? w.c0 : w.c1)), theirs = new m.Condition(at(me === 0 ? w.c1 : w.c0));
  const turn = at(w.turn), lock = mine.lock;
  lock.lock();
  const round = () => { while (turn[0] !== me) mine.wait(); turn[0] = 1 - me; theirs.notify(); };
  for (let i = 0; i < 2000; i++) round();
  const t0 = performance.now();
  for (let i = 0; i < hops / 2; i++) round();
  lock.unlock();
  parentPort.postMessage(((performance.now() - t0) * 1000) / hops);`;
const latency = { event: [], condition: [] };
for (let rep = 0; rep < 5; rep++) {
  const a = Event.create(pool), b = Event.create(pool);
  latency.event.push(await pingPong(eventBody, { a: a.byteOffset, b: b.byteOffset }));
  const m = Mutex.create(pool), turn = pool.alloc(Int32Array, 16);
  const c0 = Condition.create(pool, m), c1 = Condition.create(pool, m);
  latency.condition.push(await pingPong(conditionBody, { c0: c0.byteOffset, c1: c1.byteOffset, turn: turn.byteOffset }));
}
console.log("\nwake-up latency between two worker threads, µs per hop (best / median of 5 runs of 2e4 hops; target <= 5 µs):");
for (const [name, runs] of Object.entries(latency)) {
  console.log(`  ${(name === "event" ? "Event set -> wake" : "Condition notify -> wake").padEnd(28)} ${Math.min(...runs).toFixed(2)} / ${median(runs).toFixed(2)} µs`);
}

await pool.close();

function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
