/**
 * A counting semaphore with a bound, in shared memory (layout and protocol:
 * src/sync/layout.ts; from kernels: assembly/sync.ts semaphoreAcquire / semaphoreRelease).
 *
 *   const sem = Semaphore.create(pool, 3);     // at most 3 holders at once
 *   // kernels: semaphoreAcquire(sem.byteOffset) … semaphoreRelease(sem.byteOffset, 1)
 */
import { invalid } from "../errors.js";
import { SEMAPHORE_WORDS, SemaphoreWord, SPINS } from "./layout.js";
import { checkTimeout, checkWords, deadlineOf, remaining, sleep, sleepAsync } from "./wait.js";

const { COUNT, MAX, SLEEPERS } = SemaphoreWord;

export class Semaphore {
  /** A new semaphore in the pool's memory with `permits` permits, all free. */
  static create(pool: { alloc(type: Int32ArrayConstructor, length: number): Int32Array }, permits: number): Semaphore {
    checkPermits(permits);
    return new Semaphore(pool.alloc(Int32Array, SEMAPHORE_WORDS)).init(permits);
  }

  /** The semaphore in `words` (SEMAPHORE_WORDS Int32 words of shared memory). Call init once before use. */
  /** The bound, read once: it changes only at init, when nobody uses the semaphore. */
  private max: number;

  constructor(readonly words: Int32Array) {
    checkWords(words, 3, "semaphore");
    this.max = Atomics.load(words, MAX);
  }

  /** Sets `permits` permits, all free. Nobody may hold or wait for one. */
  init(permits: number): this {
    checkPermits(permits);
    Atomics.store(this.words, MAX, permits);
    this.max = permits;
    Atomics.store(this.words, SLEEPERS, 0);
    Atomics.store(this.words, COUNT, permits);
    return this;
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** Permits free now. */
  get available(): number {
    return Atomics.load(this.words, COUNT);
  }

  get permits(): number {
    return Atomics.load(this.words, MAX);
  }

  /** Takes a permit if one is free; never waits. */
  tryAcquire(): boolean {
    const w = this.words;
    let c = Atomics.load(w, COUNT);
    while (c > 0) {
      const seen = Atomics.compareExchange(w, COUNT, c, c - 1);
      if (seen === c) return true;
      c = seen;
    }
    return false;
  }

  /** Takes a permit, waiting (blocking the thread) up to `timeoutMs`; false on timeout. For worker threads. */
  acquire(timeoutMs = Infinity): boolean {
    checkTimeout(timeoutMs);
    for (let i = 0; i < SPINS; i++) if (this.tryAcquire()) return true;
    const deadline = deadlineOf(timeoutMs);
    const w = this.words;
    for (;;) {
      if (this.tryAcquire()) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      Atomics.add(w, SLEEPERS, 1);
      sleep(w, COUNT, 0, left);
      Atomics.sub(w, SLEEPERS, 1);
    }
  }

  /** As acquire, without blocking the calling thread. */
  async acquireAsync(timeoutMs = Infinity): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    const w = this.words;
    for (;;) {
      if (this.tryAcquire()) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      Atomics.add(w, SLEEPERS, 1);
      await sleepAsync(w, COUNT, 0, left);
      Atomics.sub(w, SLEEPERS, 1);
    }
  }

  /** Returns `n` permits. Throws (returning none) if that would exceed the bound. */
  release(n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw invalid("n", n, "an integer of at least 1");
    const w = this.words;
    let c = Atomics.load(w, COUNT);
    for (;;) {
      if (c + n > this.max) throw new Error(`release(${n}) would give the semaphore ${c + n} permits, more than its ${this.max}: a release without an acquire`);
      const seen = Atomics.compareExchange(w, COUNT, c, c + n);
      if (seen === c) break;
      c = seen;
    }
    if (Atomics.load(w, SLEEPERS) !== 0) Atomics.notify(w, COUNT, n);
  }
}

function checkPermits(permits: number): void {
  if (!Number.isInteger(permits) || permits < 1 || permits > 2 ** 31 - 1) {
    throw invalid("permits", permits, "an integer from 1 to 2^31-1");
  }
}
