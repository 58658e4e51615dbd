/**
 * A condition variable in shared memory over a Mutex or an RLock, as Python's Condition
 * (layout: ConditionLayout in assembly/sync-layout.ts; from kernels: conditionWait /
 * conditionNotify / conditionNotifyAll). A waiter reads the sequence word while it holds the
 * lock, lets the lock go and sleeps while the word is unchanged; notify bumps the word (the
 * notifier holds the lock), so a notify between the waiter's letting go and its sleep is never
 * lost. A waiter that had not yet fallen asleep when a notify came also returns: wake-ups may
 * be more than `n`, as a condition's always may, so wait in a loop or use waitFor.
 *
 *   const cond = Condition.create(pool);             // over a new RLock; or Condition.create(pool, mutex)
 *   lock.lock(); while (!ready()) cond.wait(); … lock.unlock();        // worker threads
 *   await cond.lock.lockAsync(); await cond.waitForAsync(ready); …     // the main thread
 */
import { invalid } from "../errors.js";
import { BLOCK_WORDS, ConditionWord } from "./layout.js";
import { lockLoop, Mutex } from "./mutex.js";
import { RLock } from "./rlock.js";
import { Spinner } from "./spin.js";
import { block, checkWords, deadlineOf, drive, remaining, sleepOn, type Allocator, allocWords, type WaitLoop } from "./wait.js";

const { seq: SEQ, sleepers: SLEEPERS, lockKind: KIND, lockPtr: PTR } = ConditionWord;
const MUTEX = 1;
const RLOCK = 2;

export class Condition {
  /** A new condition over `lock` (default: a new RLock, as Python's). */
  static create(pool: Allocator, lockOrDefault?: Mutex | RLock): Condition {
    // the pool is checked before the default lock is made in it: a bad pool is refused as the Condition's
    const words = allocWords(pool, BLOCK_WORDS, "Condition");
    const lock = lockOrDefault === undefined ? RLock.create(pool) : lockOrDefault;
    if (!(lock instanceof Mutex || lock instanceof RLock) || lock.words.buffer !== words.buffer) {
      throw invalid("lock", lock, "a Mutex or an RLock in the same memory");
    }
    Atomics.store(words, KIND, lock instanceof Mutex ? MUTEX : RLOCK);
    Atomics.store(words, PTR, lock.byteOffset);
    return new Condition(words);
  }

  /** The lock, found from the words (so another thread's `new Condition(words)` has it too). */
  readonly lock: Mutex | RLock;

  /** How long a blocking wait polls the sequence word before it sleeps (src/sync/spin.ts). */
  private readonly spinner = new Spinner();

  constructor(readonly words: Int32Array) {
    checkWords(words, 4, "condition");
    const kind = Atomics.load(words, KIND);
    const lockWords = new Int32Array(words.buffer, Atomics.load(words, PTR), BLOCK_WORDS);
    if (kind !== MUTEX && kind !== RLOCK) throw invalid("words", words, "the words of a condition made by Condition.create");
    this.lock = kind === MUTEX ? new Mutex(lockWords) : new RLock(lockWords);
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** Lets the lock go, sleeps until notified or `timeoutMs` passes, takes the lock again. Whether notified. */
  wait(timeoutMs = Infinity): boolean {
    return block(this.waitLoop(deadlineOf(timeoutMs), true));
  }

  async waitAsync(timeoutMs = Infinity): Promise<boolean> {
    return drive(this.waitLoop(deadlineOf(timeoutMs), false));
  }

  /** Waits until `predicate()` is true, at most `timeoutMs`; returns its last value. */
  waitFor<T>(predicate: () => T, timeoutMs = Infinity): T {
    return block(this.waitForLoop(predicate, deadlineOf(timeoutMs), true));
  }

  async waitForAsync<T>(predicate: () => T, timeoutMs = Infinity): Promise<T> {
    return drive(this.waitForLoop(predicate, deadlineOf(timeoutMs), false));
  }

  /** Wakes at least `n` waiters (default 1), if that many wait. The caller must hold the lock. */
  notify(n = 1): void {
    if (!Number.isInteger(n) || n < 0) throw invalid("n", n, "an integer of at least 0");
    this.checkHeld("notify");
    const w = this.words;
    Atomics.add(w, SEQ, 1);
    if (n > 0 && Atomics.load(w, SLEEPERS) !== 0) Atomics.notify(w, SEQ, n);
  }

  /** Wakes every waiter. The caller must hold the lock. */
  notifyAll(): void {
    this.checkHeld("notifyAll");
    Atomics.add(this.words, SEQ, 1);
    if (Atomics.load(this.words, SLEEPERS) !== 0) Atomics.notify(this.words, SEQ);
  }

  private *waitForLoop<T>(predicate: () => T, deadline: number, blocking: boolean): WaitLoop<T> {
    for (let result = predicate(); ; result = predicate()) {
      if (result || remaining(deadline) === 0) return result;
      yield* this.waitLoop(deadline, blocking);
    }
  }

  /** The one wait loop; a blocking waiter first polls the word a while (src/sync/spin.ts). */
  private *waitLoop(deadline: number, blocking: boolean): WaitLoop<boolean> {
    this.checkHeld("wait");
    const w = this.words;
    const lock = this.lock;
    const seq = Atomics.load(w, SEQ);
    const depth = lock instanceof RLock ? lock.releaseAll() : (lock.unlock(), 1);
    let notified = false;
    if (blocking) this.spinner.poll(w, SEQ, seq);
    Atomics.add(w, SLEEPERS, 1);
    try {
      for (;;) {
        if (Atomics.load(w, SEQ) !== seq) {
          notified = true;
          break;
        }
        const left = remaining(deadline);
        if (left === 0) break;
        yield sleepOn(w, SEQ, seq, left);
      }
    } finally {
      Atomics.sub(w, SLEEPERS, 1);
    }
    // taken again without a time limit, as Python's wait does. The notifier may still hold it
    // (Python's order: notify, then release): a blocking waiter polls for it as long as it polls
    // the sequence word, so that a running notifier's unlock costs no second wake-up. (On a
    // loaded host the holder is mostly not running; docs/sync.md, Figures.)
    const lw = lock.words;
    if (!(Atomics.compareExchange(lw, 0, 0, 1) === 0 || (blocking && spinLock(lw, this.spinner.budget)))) yield* lockLoop(lw, Infinity);
    if (lock instanceof RLock) lock.restore(depth);
    return notified;
  }

  private checkHeld(what: string): void {
    const lock = this.lock;
    if (lock instanceof RLock ? lock.owner !== lock.me : !lock.isLocked) {
      throw new Error(`${what}() on a condition whose lock this thread does not hold`);
    }
  }
}

/** Takes the free lock word if it comes free within `spins` loads. */
function spinLock(lw: Int32Array, spins: number): boolean {
  for (let i = 0; i < spins; i++) {
    if (Atomics.load(lw, 0) === 0 && Atomics.compareExchange(lw, 0, 0, 1) === 0) return true;
  }
  return false;
}
