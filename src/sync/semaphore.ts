/**
 * Semaphores in shared memory, as Python's (layout: SemaphoreLayout in
 * assembly/sync-layout.ts; from kernels: semaphoreAcquire / semaphoreRelease):
 * `Semaphore(value)` counts without a bound, `Semaphore(0)` included (the signalling idiom);
 * `BoundedSemaphore(value)` refuses a release that would pass its initial value.
 *
 *   const sem = Semaphore.create(pool, 3);      // at most 3 holders, if every release follows an acquire
 *   // kernels: semaphoreAcquire(sem.byteOffset) … semaphoreRelease(sem.byteOffset, 1)
 */
import { invalid } from "../errors.js";
import { BLOCK_WORDS, SemaphoreWord, SPINS } from "./layout.js";
import { held, timedOut, type Hold } from "./mutex.js";
import { block, checkTimeout, checkWords, deadlineOf, drive, remaining, sleepOn, type Allocator, allocWords, type WaitLoop } from "./wait.js";

const { count: COUNT, max: MAX, sleepers: SLEEPERS } = SemaphoreWord;
/** The max word of an unbounded semaphore. */
const UNBOUNDED = 0x7fffffff;

export class Semaphore {
  /** A new semaphore with `value` permits free (default 1), unbounded. */
  static create(pool: Allocator, value = 1): Semaphore {
    checkValue(value);
    return new this(allocWords(pool, BLOCK_WORDS, "Semaphore")).init(value, UNBOUNDED);
  }

  /** The semaphore in `words` (zeroed words: call init first; a semaphore in use: ready). */
  constructor(readonly words: Int32Array) {
    checkWords(words, 3, "semaphore");
  }

  /** Sets `value` free permits and the bound (default: none). Nobody may be using it. */
  init(value: number, max = UNBOUNDED): this {
    checkValue(value);
    const w = this.words;
    Atomics.store(w, MAX, max);
    Atomics.store(w, SLEEPERS, 0);
    Atomics.store(w, COUNT, value);
    return this;
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** Permits free now. */
  get value(): number {
    return Atomics.load(this.words, COUNT);
  }

  /** The bound a release may not pass; Infinity for an unbounded semaphore. */
  get bound(): number {
    const max = Atomics.load(this.words, MAX);
    return max === UNBOUNDED ? Infinity : max;
  }

  /** Takes a permit if one is free; never waits. */
  tryAcquire(): boolean {
    const w = this.words;
    for (let c = Atomics.load(w, COUNT); c > 0;) {
      const seen = Atomics.compareExchange(w, COUNT, c, c - 1);
      if (seen === c) return true;
      c = seen;
    }
    return false;
  }

  /** Takes a permit, blocking the thread up to `timeoutMs`; false on timeout. For worker threads. */
  acquire(timeoutMs = Infinity): boolean {
    checkTimeout(timeoutMs);
    for (let i = 0; i < SPINS; i++) if (this.tryAcquire()) return true;
    return block(this.acquireLoop(deadlineOf(timeoutMs)));
  }

  /** As acquire, without blocking the calling thread. */
  async acquireAsync(timeoutMs = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs);
    return this.tryAcquire() || drive(this.acquireLoop(deadlineOf(timeoutMs)));
  }

  hold(timeoutMs = Infinity): Hold {
    if (!this.acquire(timeoutMs)) throw timedOut("semaphore", timeoutMs);
    return held(() => this.release());
  }

  async holdAsync(timeoutMs = Infinity): Promise<Hold> {
    if (!(await this.acquireAsync(timeoutMs))) throw timedOut("semaphore", timeoutMs);
    return held(() => this.release());
  }

  private *acquireLoop(deadline: number): WaitLoop<boolean> {
    const w = this.words;
    for (;;) {
      if (this.tryAcquire()) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      // counted before the count is read again (in the sleep): a release that adds to the
      // count then reads sleepers sees this sleeper (sequentially consistent atomics)
      Atomics.add(w, SLEEPERS, 1);
      try {
        yield sleepOn(w, COUNT, 0, left);
      } finally {
        Atomics.sub(w, SLEEPERS, 1);
      }
    }
  }

  /** Returns `n` permits (default 1). Throws, returning none, if that would pass the bound. */
  release(n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw invalid("n", n, "an integer of at least 1");
    const w = this.words;
    const max = Atomics.load(w, MAX);
    for (let c = Atomics.load(w, COUNT); ;) {
      if (c + n > max) {
        throw new Error(max === UNBOUNDED ? `release(${n}) would pass 2^31-1 permits`
          : `release(${n}) would give the bounded semaphore ${c + n} permits, more than its ${max}: a release without an acquire`);
      }
      const seen = Atomics.compareExchange(w, COUNT, c, c + n);
      if (seen === c) break;
      c = seen;
    }
    if (Atomics.load(w, SLEEPERS) !== 0) Atomics.notify(w, COUNT, n);
  }
}

/** A semaphore whose releases may not pass its initial value (Python's BoundedSemaphore). */
export class BoundedSemaphore extends Semaphore {
  static override create(pool: Allocator, value = 1): BoundedSemaphore {
    checkValue(value);
    return new BoundedSemaphore(allocWords(pool, BLOCK_WORDS, "BoundedSemaphore")).init(value, value);
  }
}

function checkValue(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= UNBOUNDED) throw invalid("value", value, "an integer from 0 to 2^31-2");
}
