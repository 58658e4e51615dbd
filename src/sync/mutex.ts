/**
 * A mutex in shared memory (layout: MutexLayout in assembly/sync-layout.ts; from kernels:
 * mutexLock / mutexUnlock in assembly/sync.ts).
 *
 *   const mutex = Mutex.create(pool);          // or new Mutex(words) over existing words
 *   // kernels: mutexLock(mutex.byteOffset) … mutexUnlock(mutex.byteOffset)
 *   // a worker thread: mutex.lock() … mutex.unlock(), or { using _ = mutex.hold(); … }
 *   // the main thread: await mutex.lockAsync(), or { await using _ = await mutex.holdAsync(); … }
 */
import { MUTEX_WORDS, MutexWord, SPINS } from "./layout.js";
import { block, checkTimeout, checkWords, deadlineOf, drive, remaining, sleepOn, type Allocator, allocWords, type WaitLoop } from "./wait.js";

const S = MutexWord.state;

/** What hold() returns: `using` it releases the lock at the end of the block. */
export interface Hold extends Disposable {
  release(): void;
}

export class Mutex {
  /** A new, unlocked mutex in the pool's memory. Free it with pool.free(mutex.words). */
  static create(pool: Allocator): Mutex {
    return new Mutex(allocWords(pool, MUTEX_WORDS, "Mutex"));
  }

  /** The mutex in `words` (MUTEX_WORDS Int32 words of shared memory; zeroed words are an unlocked mutex). */
  constructor(readonly words: Int32Array) {
    checkWords(words, 1, "mutex");
  }

  /** Byte offset in the memory: the pointer kernels take. */
  get byteOffset(): number {
    return this.words.byteOffset;
  }

  get isLocked(): boolean {
    return Atomics.load(this.words, S) !== 0;
  }

  /** Takes the mutex if it is free; never waits. */
  tryLock(): boolean {
    return Atomics.compareExchange(this.words, S, 0, 1) === 0;
  }

  /** Takes the mutex, blocking the thread up to `timeoutMs`; false on timeout. For worker threads. */
  lock(timeoutMs = Infinity): boolean {
    checkTimeout(timeoutMs);
    // the fast path stays small so that V8 inlines it into the caller
    return Atomics.compareExchange(this.words, S, 0, 1) === 0 || this.lockContended(timeoutMs);
  }

  private lockContended(timeoutMs: number): boolean {
    const w = this.words;
    for (let i = 0; i < SPINS; i++) {
      if (Atomics.load(w, S) === 0 && Atomics.compareExchange(w, S, 0, 1) === 0) return true;
    }
    return block(lockLoop(w, deadlineOf(timeoutMs)));
  }

  /** As lock, without blocking the calling thread. */
  async lockAsync(timeoutMs = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs);
    return this.tryLock() || drive(lockLoop(this.words, deadlineOf(timeoutMs)));
  }

  /** Takes the mutex (as lock) for a `using` block; throws if `timeoutMs` passes first. */
  hold(timeoutMs = Infinity): Hold {
    if (!this.lock(timeoutMs)) throw timedOut("mutex", timeoutMs);
    return held(() => this.unlock());
  }

  /** As hold, without blocking the calling thread: `await using h = await mutex.holdAsync()`. */
  async holdAsync(timeoutMs = Infinity): Promise<Hold> {
    if (!(await this.lockAsync(timeoutMs))) throw timedOut("mutex", timeoutMs);
    return held(() => this.unlock());
  }

  /** Releases the mutex, waking one waiter if any may sleep. Throws if it is not locked. */
  unlock(): void {
    const was = Atomics.sub(this.words, S, 1);
    if (was !== 1) this.unlockContended(was);
  }

  private unlockContended(was: number): void {
    const w = this.words;
    if (was === 0) {
      Atomics.add(w, S, 1);
      throw new Error("unlock() of a mutex that is not locked");
    }
    Atomics.store(w, S, 0);
    Atomics.notify(w, S, 1);
  }
}

/** The contended lock (Drepper's mutex 3): mark the word 2 (sleepers possible) and sleep while it is 2. */
export function* lockLoop(w: Int32Array, deadline: number): WaitLoop<boolean> {
  while (Atomics.exchange(w, S, 2) !== 0) {
    const left = remaining(deadline);
    if (left === 0) return false;
    yield sleepOn(w, S, 2, left);
  }
  return true;
}

/** A hold whose release (or disposal) runs `release` once. */
export function held(release: () => void): Hold {
  let done = false;
  const once = (): void => {
    if (!done) {
      done = true;
      release();
    }
  };
  return { release: once, [Symbol.dispose]: once };
}

export function timedOut(what: string, timeoutMs: number): Error {
  return new Error(`timed out after ${timeoutMs} ms waiting for the ${what}`);
}
