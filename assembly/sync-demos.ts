/**
 * The classic concurrency hazards and their fixes, and the kernel side of every primitive, as
 * kernels run by test/sync/*.test.ts (and bench/sync.bench.js): lost updates, a bounded
 * resource, dining philosophers, producers and consumers, events, conditions, barriers, pipes.
 * Each takes pointers to regions the caller allocated and initialized. A test fixture, not
 * shipped: `npm run asbuild:fixtures` builds it into build/test-fixtures/sync-demos.wasm.
 */
import {
  conditionNotifyAll, conditionWait, eventSet, eventWait, mutexLock, mutexLockTimeout, mutexUnlock,
  pipeRecv, pipeSend, queueGet, queueGetRecord, queueIsClosed, queueJoin, queuePut, queuePutRecord, queueTaskDone,
  rlockLock, rlockUnlock, semaphoreAcquire, semaphoreRelease, valueData,
} from "./sync";
import { barrierWaitAction } from "./barrier";

/**
 * The hazard: `iterations` times, reads the i32 at `counter`, works `spin` steps, writes the
 * value plus one — a read-modify-write that is not atomic, so increments from other workers in
 * between are lost. (Atomic loads and stores keep the compiler from merging the iterations;
 * they do not make the sequence atomic.) Returns a value of the busy work, to keep it alive.
 */
export function syncDemoRacyIncrements(counter: usize, iterations: i32, spin: i32): f64 {
  let sink: i32 = 0;
  for (let i = 0; i < iterations; i++) {
    const v = atomic.load<i32>(counter);
    for (let k = 0; k < spin; k++) sink += atomic.load<i32>(counter);
    atomic.store<i32>(counter, v + 1);
  }
  return <f64>sink;
}

/** The first fix: one atomic add per increment. */
export function syncDemoAtomicIncrements(counter: usize, iterations: i32): void {
  for (let i = 0; i < iterations; i++) atomic.add<i32>(counter, 1);
}

/** The second fix: the same read–work–write as syncDemoRacyIncrements, under the mutex at `mutex`. */
export function syncDemoLockedIncrements(counter: usize, mutex: usize, iterations: i32, spin: i32): f64 {
  let sink: i32 = 0;
  for (let i = 0; i < iterations; i++) {
    mutexLock(mutex);
    const v = atomic.load<i32>(counter);
    for (let k = 0; k < spin; k++) sink += atomic.load<i32>(counter);
    atomic.store<i32>(counter, v + 1);
    mutexUnlock(mutex);
  }
  return <f64>sink;
}

/**
 * A bounded resource: `iterations` times, takes a permit of the semaphore at `sem`, counts
 * itself in the i32 at `occupancy`, records the highest occupancy seen in the i32 at `maxSeen`,
 * works `spin` steps, leaves. Returns the number of releases the semaphore refused (0 unless the
 * protocol is broken).
 */
export function syncDemoSemaphoreOccupancy(sem: usize, occupancy: usize, maxSeen: usize, iterations: i32, spin: i32): i32 {
  let refused: i32 = 0;
  for (let i = 0; i < iterations; i++) {
    semaphoreAcquire(sem);
    const now = atomic.add<i32>(occupancy, 1) + 1;
    let seen = atomic.load<i32>(maxSeen);
    while (now > seen) {
      const was = atomic.cmpxchg<i32>(maxSeen, seen, now);
      if (was == seen) break;
      seen = was;
    }
    for (let k = 0; k < spin; k++) atomic.load<i32>(occupancy);
    atomic.sub<i32>(occupancy, 1);
    if (!semaphoreRelease(sem, 1)) refused++;
  }
  return refused;
}

/** Bytes between consecutive forks (mutexes) in the philosophers' fork array: one cache line each. */
const FORK_STRIDE: usize = 64;

/**
 * Philosopher `id` of `seats` at a round table eats `meals` meals. Fork f is the mutex at
 * forks + f·64; philosopher i needs forks i and (i + 1) mod seats, and takes the lower-numbered
 * one first — the resource ordering that makes a cycle of waits, hence deadlock, impossible.
 * While eating it marks both forks in `holders` (an i32 per fork) to check that nobody else has
 * them. Returns the meals eaten, −1 if a fork's wait timed out (`timeoutMs` per sleep: a
 * deadlock would show so instead of hanging), or −2 if a fork was found in use by another.
 */
export function syncDemoPhilosopher(id: i32, seats: i32, forks: usize, holders: usize, meals: i32, timeoutMs: f64): i32 {
  const left = id;
  const right = (id + 1) % seats;
  const first = min(left, right);
  const second = max(left, right);
  for (let m = 0; m < meals; m++) {
    if (!mutexLockTimeout(forks + <usize>first * FORK_STRIDE, timeoutMs)) return -1;
    if (!mutexLockTimeout(forks + <usize>second * FORK_STRIDE, timeoutMs)) {
      mutexUnlock(forks + <usize>first * FORK_STRIDE);
      return -1;
    }
    const a = atomic.cmpxchg<i32>(holders + (<usize>first << 2), 0, id + 1);
    const b = atomic.cmpxchg<i32>(holders + (<usize>second << 2), 0, id + 1);
    if (a != 0 || b != 0) return -2;
    for (let k = 0; k < 200; k++) atomic.load<i32>(holders);
    atomic.store<i32>(holders + (<usize>second << 2), 0);
    atomic.store<i32>(holders + (<usize>first << 2), 0);
    mutexUnlock(forks + <usize>second * FORK_STRIDE);
    mutexUnlock(forks + <usize>first * FORK_STRIDE);
  }
  return meals;
}

/** Puts the numbers first, first + 1, …, first + count − 1 into the queue at `q`; returns how many went in. */
export function syncDemoProduce(q: usize, first: i32, count: i32): i32 {
  for (let i = 0; i < count; i++) {
    if (!queuePut(q, <f64>(first + i))) return i;
  }
  return count;
}

/**
 * Takes numbers from the queue at `q` until it is closed and empty, adding one to the i32
 * seen[v] for each number v; returns how many it took.
 */
export function syncDemoConsume(q: usize, seen: usize): i32 {
  let taken: i32 = 0;
  while (true) {
    const v = queueGet(q);
    if (queueIsClosed(v)) return taken;
    atomic.add<i32>(seen + (<usize>v << 2), 1);
    taken++;
  }
}

/** Puts records (v, v², −v) for v in [first, first + count) through the record queue at `q`; `scratch`: 24 bytes of its own. */
export function syncDemoProduceRecords(q: usize, first: i32, count: i32, scratch: usize): i32 {
  for (let i = 0; i < count; i++) {
    const v = <f64>(first + i);
    store<f64>(scratch, v);
    store<f64>(scratch + 8, v * v);
    store<f64>(scratch + 16, -v);
    if (!queuePutRecord(q, scratch)) return i;
  }
  return count;
}

/**
 * Takes records until the queue is closed and empty, counting each v in seen[v]; returns the
 * records taken, or −1 on a record whose fields do not belong together (a torn record).
 */
export function syncDemoConsumeRecords(q: usize, seen: usize, scratch: usize): i32 {
  let taken: i32 = 0;
  while (queueGetRecord(q, scratch)) {
    const v = load<f64>(scratch);
    if (load<f64>(scratch + 8) != v * v || load<f64>(scratch + 16) != -v) return -1;
    atomic.add<i32>(seen + (<usize>v << 2), 1);
    taken++;
  }
  return taken;
}

/** `iterations` uncontended lock + unlock pairs of the mutex at `mutex` (bench/sync.bench.js). */
export function syncBenchLockUnlock(mutex: usize, iterations: i32): void {
  for (let i = 0; i < iterations; i++) {
    mutexLock(mutex);
    mutexUnlock(mutex);
  }
}

/** Takes numbers until the queue is closed and empty; returns how many (NaN items included). */
export function syncDemoCount(q: usize): i32 {
  let taken: i32 = 0;
  while (!queueIsClosed(queueGet(q))) taken++;
  return taken;
}

/** `iterations` times: takes the RLock at `rlock` twice (re-entrant) as `owner`, increments the i32 at `counter`, lets go twice. Returns refused unlocks (0). */
export function syncDemoRLockIncrements(counter: usize, rlock: usize, owner: i32, iterations: i32): i32 {
  let refused: i32 = 0;
  for (let i = 0; i < iterations; i++) {
    rlockLock(rlock, owner, -1);
    rlockLock(rlock, owner, -1);
    atomic.store<i32>(counter, atomic.load<i32>(counter) + 1);
    if (!rlockUnlock(rlock, owner)) refused++;
    if (!rlockUnlock(rlock, owner)) refused++;
  }
  return refused;
}

/** Tries to unlock the RLock at `rlock` as `owner`: 1 done, 0 refused. */
export function syncDemoRLockUnlock(rlock: usize, owner: i32): i32 {
  return rlockUnlock(rlock, owner);
}

/** Waits for the event at `event` (each sleep ≤ timeoutMs); then adds one to the i32 at `woken`. Returns eventWait's answer. */
export function syncDemoEventWait(event: usize, woken: usize, timeoutMs: f64): i32 {
  const r = eventWait(event, timeoutMs);
  if (r) atomic.add<i32>(woken, 1);
  return r;
}

export function syncDemoEventSet(event: usize): void {
  eventSet(event);
}

/**
 * Under the condition's lock (an RLock, as `owner`), waits until the i32 at `counter` reaches
 * `target` (each sleep ≤ timeoutMs); returns the counter seen, or −1 on a timeout.
 */
export function syncDemoConditionAwait(cond: usize, lock: usize, owner: i32, counter: usize, target: i32, timeoutMs: f64): i32 {
  rlockLock(lock, owner, -1);
  while (atomic.load<i32>(counter) < target) {
    if (conditionWait(cond, owner, timeoutMs) == 0 && atomic.load<i32>(counter) < target) {
      rlockUnlock(lock, owner);
      return -1;
    }
  }
  const seen = atomic.load<i32>(counter);
  rlockUnlock(lock, owner);
  return seen;
}

/** `n` times: under the condition's lock, adds one to the i32 at `counter` and notifies all. */
export function syncDemoConditionBump(cond: usize, lock: usize, owner: i32, counter: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    rlockLock(lock, owner, -1);
    atomic.store<i32>(counter, atomic.load<i32>(counter) + 1);
    conditionNotifyAll(cond);
    rlockUnlock(lock, owner);
  }
}

/** A barrier action: one more run counted in the i32 at `arg`. */
function countRun(arg: usize): void {
  atomic.store<i32>(arg, atomic.load<i32>(arg) + 1);
}

/**
 * `rounds` rounds at the barrier at `barrier`: before each, checks that the action ran for every
 * earlier round (the i32 at `runs` is the round number), then records its arrival index in
 * `indexes` (i32 per round and index: indexes[round·parties + index] += 1). Returns the rounds
 * done, −1 … −3 if the barrier broke, −10 if the action had not run before a release.
 */
export function syncDemoBarrierRounds(barrier: usize, parties: i32, rounds: i32, runs: usize, indexes: usize, timeoutMs: f64): i32 {
  for (let r = 0; r < rounds; r++) {
    if (atomic.load<i32>(runs) != r) return -10;
    const index = barrierWaitAction(barrier, timeoutMs, countRun, runs);
    if (index < 0) return index;
    atomic.add<i32>(indexes + (<usize>(r * parties + index) << 2), 1);
  }
  return rounds;
}

/** A JoinableQueue worker: takes numbers until closed, counts each in seen[v], marks each done. Returns the refused taskDones (0). */
export function syncDemoConsumeTasks(q: usize, seen: usize): i32 {
  let refused: i32 = 0;
  while (true) {
    const v = queueGet(q);
    if (queueIsClosed(v)) return refused;
    atomic.add<i32>(seen + (<usize>v << 2), 1);
    if (!queueTaskDone(q)) refused++;
  }
}

/** Waits (each sleep ≤ timeoutMs) until every item put on the JoinableQueue at `q` is done: 1 all done, 0 timed out. */
export function syncDemoJoin(q: usize, timeoutMs: f64): i32 {
  return queueJoin(q, timeoutMs);
}

/** A pipe end that answers each number with its double until the pipe closes; returns the numbers answered. */
export function syncDemoPipeEcho(conn: usize): i32 {
  let answered: i32 = 0;
  while (true) {
    const v = pipeRecv(conn);
    if (queueIsClosed(v)) return answered;
    pipeSend(conn, v * 2);
    answered++;
  }
}

/** `iterations` times: under the Value's lock (as `owner`), adds 1 to its f64. */
export function syncDemoValueAdd(value: usize, owner: i32, iterations: i32): void {
  for (let i = 0; i < iterations; i++) {
    rlockLock(value, owner, -1);
    store<f64>(valueData(value), load<f64>(valueData(value)) + 1);
    rlockUnlock(value, owner);
  }
}

/** Puts record { x: f64, id: i32 } = (id / 2, id) for id in [0, n) through the queue at `q`; `scratch`: 16 bytes of its own. */
export function syncDemoPutPoints(q: usize, n: i32, scratch: usize): i32 {
  for (let id = 0; id < n; id++) {
    store<f64>(scratch + offsetof<Point>("x"), <f64>id / 2);
    store<i32>(scratch + offsetof<Point>("id"), id);
    if (!queuePutRecord(q, scratch)) return id;
  }
  return n;
}

/** The record { x: "f64", id: "i32" } of test/sync/record.test.ts, as a kernel declares it. */
@unmanaged class Point {
  x: f64;
  id: i32;
}
