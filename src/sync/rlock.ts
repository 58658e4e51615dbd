/**
 * A re-entrant lock in shared memory, as Python's RLock (layout: RLockLayout in
 * assembly/sync-layout.ts; from kernels: rlockLock / rlockUnlock, with an owner id < 0). The
 * owner is recorded (src/sync/owner.ts: one id per JavaScript thread); its holds nest, and an
 * unlock by another thread is an error. On the main thread every async task shares the thread's
 * id, as Python's threads do: use a Mutex between async tasks of one thread.
 *
 *   const lock = RLock.create(pool);
 *   lock.lock(); lock.lock(); lock.unlock(); lock.unlock();   // a worker thread
 *   { await using _ = await lock.holdAsync(); … }             // the main thread
 */
import { BLOCK_WORDS, RLockWord } from "./layout.js";
import { held, lockLoop, timedOut, type Hold } from "./mutex.js";
import { ownerId } from "./owner.js";
import { block, checkTimeout, checkWords, deadlineOf, drive, allocWords, type Allocator } from "./wait.js";

const { state: S, owner: OWNER, depth: DEPTH } = RLockWord;

export class RLock {
  static create(pool: Allocator): RLock {
    return new RLock(allocWords(pool, BLOCK_WORDS, "RLock"));
  }

  /** The calling thread's owner id. */
  readonly me = ownerId();

  constructor(readonly words: Int32Array) {
    checkWords(words, 3, "RLock");
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** The owner's id, 0 when free. */
  get owner(): number {
    return Atomics.load(this.words, OWNER);
  }

  /** The owner's nested holds, 0 when free. */
  get depth(): number {
    return Atomics.load(this.words, DEPTH);
  }

  tryLock(): boolean {
    return this.reenter() || this.take(Atomics.compareExchange(this.words, S, 0, 1) === 0);
  }

  /** Takes the lock (again, if this thread holds it), blocking up to `timeoutMs`; false on timeout. */
  lock(timeoutMs = Infinity): boolean {
    checkTimeout(timeoutMs);
    const w = this.words;
    return this.reenter() || this.take(Atomics.compareExchange(w, S, 0, 1) === 0 || block(lockLoop(w, deadlineOf(timeoutMs))));
  }

  async lockAsync(timeoutMs = Infinity): Promise<boolean> {
    checkTimeout(timeoutMs);
    const w = this.words;
    return this.reenter() || this.take(Atomics.compareExchange(w, S, 0, 1) === 0 || await drive(lockLoop(w, deadlineOf(timeoutMs))));
  }

  hold(timeoutMs = Infinity): Hold {
    if (!this.lock(timeoutMs)) throw timedOut("RLock", timeoutMs);
    return held(() => this.unlock());
  }

  async holdAsync(timeoutMs = Infinity): Promise<Hold> {
    if (!(await this.lockAsync(timeoutMs))) throw timedOut("RLock", timeoutMs);
    return held(() => this.unlock());
  }

  /** Drops one hold; the last one frees the lock. Throws unless this thread owns it. */
  unlock(): void {
    const w = this.words;
    const owner = w[OWNER]!;
    if (owner !== this.me) {
      throw new Error(owner === 0 ? "unlock() of an RLock that is not locked" : `unlock() of an RLock owned by ${owner}, not by this thread (${this.me})`);
    }
    const depth = w[DEPTH]! - 1;
    w[DEPTH] = depth;
    if (depth > 0) return;
    w[OWNER] = 0; // published by the release below
    if (Atomics.sub(w, S, 1) !== 1) {
      Atomics.store(w, S, 0);
      Atomics.notify(w, S, 1);
    }
  }

  /** Releases every hold of this thread (for Condition.wait); returns the depth to restore. */
  releaseAll(): number {
    const depth = this.words[DEPTH]!;
    this.words[DEPTH] = 1;
    this.unlock();
    return depth;
  }

  /** After the state word is taken again: this thread owns the lock with `depth` holds (what releaseAll returned). */
  restore(depth: number): void {
    this.words[OWNER] = this.me;
    this.words[DEPTH] = depth;
  }

  /**
   * Owner and depth are plain reads and writes: only the holder writes them, between taking and
   * releasing the state word (whose atomics order them), and a thread can only ever read its own
   * id there if it wrote it itself — so a racy read by another thread never grants re-entry.
   */
  private reenter(): boolean {
    const w = this.words;
    if (w[OWNER] !== this.me) return false;
    w[DEPTH]!++;
    return true;
  }

  private take(got: boolean): boolean {
    if (got) this.restore(1);
    return got;
  }
}
