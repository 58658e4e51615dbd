// Synchronization primitives against their targets, each beside a reference that does the same
// with nothing but raw Atomics (and pthreads, for the lock), measured interleaved:
//   - an uncontended lock + unlock (target: <= 50 ns; RLock <= 60 ns), from JS and a kernel;
//   - Event set -> wake and Condition notify -> wake latency between two worker threads
//     (target <= 5 µs per hop each), beside a raw Atomics.wait/notify ping-pong (the floor of a
//     hop that sleeps) and a raw polling one (the floor when both threads have a core);
//   - contended locking and queue throughput between kernels, for scale.
// (The barrier's round trip is measured by the barrier's own suite.)
//
// On a host shared with other work, time is lost to preemption, never gained: every figure is
// the best of many short batches, and each case runs in turn within every one of ROUNDS
// rounds, so that each meets the same load; the load average is printed beside the figures.
//
// Run: node bench/sync.bench.js  (after npm test, or npm run build && npm run asbuild:fixtures:
// the kernels used here are the test fixture build/test-fixtures/sync-demos.wasm)
import { Worker } from "node:worker_threads";
import { cpus, loadavg } from "node:os";
import { createPool } from "../dist/index.js";
import { Mutex, Queue, RLock, Semaphore, Event, Condition } from "../dist/sync-entry.js";
import { runReference } from "./reference.js";
import { add, formatMs, suite } from "./suite.js";
import { cpuModel } from "./cpu.js";

const ROUNDS = 5;
const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");
const pool = await createPool({ workers: 2, module: new URL("../build/test-fixtures/sync-demos.wasm", import.meta.url) });
console.log(`CPU: ${cpuModel()} (${cpus().length} cores); load average ${load()}`);

// --- uncontended lock + unlock ------------------------------------------------------------
const PAIRS = 1e5; // one batch: ~2 ms, short enough that many run without a preemption
const BATCHES = 30;
const KERNEL_PAIRS = 1e6;
const mutex = Mutex.create(pool);
const sem = Semaphore.create(pool, 4);
const rlock = RLock.create(pool);
const raw = pool.alloc(Int32Array, 16);
const jsCases = {
  // the two atomics any lock + unlock needs (compareExchange in, sub out): the floor in JS
  "raw Atomics CAS + sub (reference)": () => {
    for (let i = 0; i < PAIRS; i++) {
      if (Atomics.compareExchange(raw, 0, 0, 1) !== 0) throw new Error("raw word taken");
      Atomics.sub(raw, 0, 1);
    }
  },
  "JS Mutex lock + unlock": () => { for (let i = 0; i < PAIRS; i++) { mutex.lock(); mutex.unlock(); } },
  "JS Mutex tryLock + unlock": () => { for (let i = 0; i < PAIRS; i++) { mutex.tryLock(); mutex.unlock(); } },
  "JS RLock lock + unlock": () => { for (let i = 0; i < PAIRS; i++) { rlock.lock(); rlock.unlock(); } },
  "JS RLock re-entry (held once)": () => {
    rlock.lock();
    for (let i = 0; i < PAIRS; i++) { rlock.lock(); rlock.unlock(); }
    rlock.unlock();
  },
  "JS Semaphore tryAcquire + release": () => { for (let i = 0; i < PAIRS; i++) { sem.tryAcquire(); sem.release(); } },
};
const uncontended = Object.fromEntries([...Object.keys(jsCases), "kernel mutexLock + mutexUnlock"].map((k) => [k, []]));
for (let i = 0; i < 20; i++) for (const run of Object.values(jsCases)) run(); // tier up
await pool.apply("syncBenchLockUnlock", [mutex, KERNEL_PAIRS]);
const loadBefore = load();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(jsCases)) {
    let best = Infinity;
    for (let b = 0; b < BATCHES; b++) {
      const t0 = performance.now();
      run();
      best = Math.min(best, performance.now() - t0);
    }
    uncontended[name].push((best * 1e6) / PAIRS);
  }
  let best = Infinity;
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    await pool.apply("syncBenchLockUnlock", [mutex, KERNEL_PAIRS]);
    best = Math.min(best, performance.now() - t0);
  }
  uncontended["kernel mutexLock + mutexUnlock"].push((best * 1e6) / KERNEL_PAIRS);
}
const rawNs = Math.min(...uncontended["raw Atomics CAS + sub (reference)"]);
console.log(`\nuncontended, ns per pair: best / median of ${ROUNDS} interleaved rounds (each the best of ${BATCHES} batches of ${PAIRS.toExponential(0)}; kernel: of 5 calls of ${KERNEL_PAIRS.toExponential(0)})`);
console.log(`targets: <= 50 ns lock + unlock, <= 60 ns RLock; load average ${loadBefore} before, ${load()} after`);
for (const [name, runs] of Object.entries(uncontended)) {
  const best = Math.min(...runs);
  console.log(`  ${name.padEnd(40)} ${best.toFixed(2).padStart(7)} / ${median(runs).toFixed(2).padStart(7)} ns   ×${(best / rawNs).toFixed(2)} raw`);
}
const c = runReference("mutex", [1e8]);
if (c) console.log(`  ${"C pthread_mutex lock + unlock (gcc -O3)".padEnd(40)} ${c.padStart(7)} ns (one run of 1e8)`);

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
const HOPS = 10_000;
const WARM_HOPS = 2000;
/** Runs `body` in two plain worker threads over the pool's memory; resolves with thread 0's µs per hop. */
function pingPong(body, offsets) {
  const sync = new URL("../dist/sync-entry.js", import.meta.url).href;
  const code = (me) => `
    const { parentPort, workerData: w } = require("node:worker_threads");
    import(${JSON.stringify(sync)}).then((m) => {
      const at = (o) => new Int32Array(w.buffer, o, 16);
      const me = ${me};
      ${body}
      for (let i = 0; i < ${WARM_HOPS / 2}; i++) round();
      const t0 = performance.now();
      for (let i = 0; i < ${HOPS / 2}; i++) round();
      parentPort.postMessage(((performance.now() - t0) * 1000) / ${HOPS});
    });`;
  const run = (me) => new Promise((resolve, reject) => {
    const worker = new Worker(code(me), { eval: true, workerData: { buffer: pool.memory.buffer, ...offsets } });
    worker.once("message", (m) => { resolve(m); void worker.terminate(); });
    worker.once("error", reject);
  });
  return Promise.all([run(0), run(1)]).then(([us]) => us);
}
// the references: a turn word, each side waits for its turn and hands it over, with raw Atomics
const rawBody = (spin) => `
  const t = at(w.turn);
  const round = () => {
    ${spin ? "while (Atomics.load(t, 0) !== me);" : "while (Atomics.load(t, 0) !== me) Atomics.wait(t, 0, 1 - me);"}
    Atomics.store(t, 0, 1 - me);
    ${spin ? "" : "Atomics.notify(t, 0);"}
  };`;
// events a (0 → 1) and b (1 → 0): each side waits for its event, clears it, sets the other's
const eventBody = `
  const mine = new m.Event(at(me === 0 ? w.b : w.a)), theirs = new m.Event(at(me === 0 ? w.a : w.b));
  const round = () => { if (me === 0) theirs.set(); mine.wait(); mine.clear(); if (me === 1) theirs.set(); };`;
// one Mutex, a turn word, one condition per side: set the turn, notify, wait for it to come back
const conditionBody = `
  const mine = new m.Condition(at(me === 0 ? w.c0 : w.c1)), theirs = new m.Condition(at(me === 0 ? w.c1 : w.c0));
  const turn = at(w.turn), lock = mine.lock;
  const round = () => { lock.lock(); while (turn[0] !== me) mine.wait(); turn[0] = 1 - me; theirs.notify(); lock.unlock(); };`;
const latencyCases = {
  "raw Atomics.wait/notify (reference)": () => pingPong(rawBody(false), { turn: pool.alloc(Int32Array, 16).byteOffset }),
  "raw polling, never sleeps": () => pingPong(rawBody(true), { turn: pool.alloc(Int32Array, 16).byteOffset }),
  "Event set -> wake": () => pingPong(eventBody, { a: Event.create(pool).byteOffset, b: Event.create(pool).byteOffset }),
  "Condition notify -> wake": () => {
    const m = Mutex.create(pool);
    return pingPong(conditionBody, { c0: Condition.create(pool, m).byteOffset, c1: Condition.create(pool, m).byteOffset, turn: pool.alloc(Int32Array, 16).byteOffset });
  },
};
const latency = Object.fromEntries(Object.keys(latencyCases).map((k) => [k, []]));
const latencyLoadBefore = load();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(latencyCases)) latency[name].push(await run());
}
const rawUs = Math.min(...latency["raw Atomics.wait/notify (reference)"]);
console.log(`\nwake-up latency between two worker threads, µs per hop: best / median of ${ROUNDS} interleaved runs of ${HOPS.toExponential(0)} hops (target <= 5 µs)`);
console.log(`load average ${latencyLoadBefore} before, ${load()} after`);
for (const [name, runs] of Object.entries(latency)) {
  const best = Math.min(...runs);
  console.log(`  ${name.padEnd(40)} ${best.toFixed(2).padStart(8)} / ${median(runs).toFixed(2).padStart(8)} µs   ×${(best / rawUs).toFixed(2)} raw wait/notify`);
}

await pool.close();

function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
