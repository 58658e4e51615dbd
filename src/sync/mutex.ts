/**
 * A mutex in shared memory (layout and protocol: src/sync/layout.ts; the same from kernels:
 * assembly/sync.ts mutexLock / mutexUnlock).
 *
 *   const mutex = Mutex.create(pool);          // or new Mutex(words) over existing words
 *   // kernels: mutexLock(mutex.byteOffset) … mutexUnlock(mutex.byteOffset)
 *   // a worker thread: mutex.lock() … mutex.unlock(); the main thread: await mutex.lockAsync()
 */
import { MUTEX_WORDS, MutexWord, SPINS } from "./layout.js";
import { checkTimeout, checkWords, deadlineOf, remaining, sleep, sleepAsync } from "./wait.js";

const S = MutexWord.STATE;

export class Mutex {
  /** A new, unlocked mutex in the pool's memory. Free it with pool.free(mutex.words). */
  static create(pool: { alloc(type: Int32ArrayConstructor, length: number): Int32Array }): Mutex {
    return new Mutex(pool.alloc(Int32Array, MUTEX_WORDS));
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

  /**
   * Takes the mutex, waiting (blocking the thread) up to `timeoutMs`; false on timeout. For
   * worker threads: on the main thread use lockAsync.
   */
  lock(timeoutMs = Infinity): boolean {
    checkTimeout(timeoutMs);
    // the fast path stays small so that V8 inlines it into the caller
    return Atomics.compareExchange(this.words, S, 0, 1) === 0 || this.lockContended(timeoutMs);
  }

  private lockContended(timeoutMs: number): boolean {
    const w = this.words;
    const deadline = deadlineOf(timeoutMs);
    for (let i = 0; i < SPINS; i++) {
      if (Atomics.load(w, S) === 0 && Atomics.compareExchange(w, S, 0, 1) === 0) return true;
    }
    while (Atomics.exchange(w, S, 2) !== 0) {
      const left = remaining(deadline);
      if (left === 0) return false;
      sleep(w, S, 2, left);
    }
    return true;
  }

  /** As lock, without blocking the calling thread. */
  async lockAsync(timeoutMs = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs);
    const w = this.words;
    if (Atomics.compareExchange(w, S, 0, 1) === 0) return true;
    const deadline = deadlineOf(timeoutMs);
    while (Atomics.exchange(w, S, 2) !== 0) {
      const left = remaining(deadline);
      if (left === 0) return false;
      await sleepAsync(w, S, 2, left);
    }
    return true;
  }

  /** Releases the mutex, waking one waiter if any may sleep. Throws if it is not locked. */
  unlock(): void {
    const w = this.words;
    const was = Atomics.sub(w, S, 1);
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
