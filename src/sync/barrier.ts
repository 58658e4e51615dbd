/**
 * A barrier in shared memory with Python's semantics (layout and protocol: BarrierLayout in
 * assembly/sync-layout.ts; from kernels: assembly/barrier.ts). JS threads and kernels can be
 * parties of one barrier.
 *
 *   const barrier = Barrier.create(pool, 3, { action: () => …, timeoutMs: 10_000 });
 *   const index = barrier.wait();        // worker threads: 0 … parties−1, distinct per round
 *   await barrier.waitAsync();           // the main thread
 *   // kernels: barrierWaitIndex(barrier.byteOffset, timeoutMs)
 *
 * wait() returns the party's arrival index; the last party to arrive runs the action (its own
 * object's: give every JS party the same one) before any party is released. A timeout, abort()
 * or an action that throws breaks the barrier: every waiting and later wait throws a
 * BrokenBarrierError until reset(). reset() breaks the parties waiting now (they throw, reason
 * "reset") and makes the barrier usable again once they have left.
 */
import { invalid } from "../errors.js";
import { BarrierWord, BLOCK_WORDS } from "./layout.js";
import { BrokenBarrierError, type BarrierBreak } from "./errors.js";
import { block, checkTimeout, checkWords, deadlineOf, drive, remaining, sleepOn, type Allocator, allocWords, type WaitLoop } from "./wait.js";

/** Int32 words a barrier occupies: one 64-byte cache line. */
export const BARRIER_WORDS = BLOCK_WORDS;
export const BARRIER_BYTES = BARRIER_WORDS * 4;

const { ticket: TICKET, state: STATE, parties: PARTIES, sleepers: SLEEPERS } = BarrierWord;
const INTACT = 0;
const TIMED_OUT = 1;
const ABORTED = 2;
const RESETTING = 3;
const MAX_PARTIES = 0xffff;
/** Atomic loads of the ticket before a blocking wait sleeps (as in assembly/barrier.ts). */
const SPINS = 20000;

export interface BarrierOptions {
  /** Run by the last party to arrive, before the others are released. */
  action?: () => void;
  /** The default timeout of wait (ms). Default: none. */
  timeoutMs?: number;
}

const roundOf = (ticket: number): number => ticket >>> 16;
const arrivedOf = (ticket: number): number => ticket & 0xffff;

export class Barrier {
  /** A new barrier for `parties` parties. */
  static create(pool: Allocator, parties: number, options?: BarrierOptions): Barrier {
    return new Barrier(allocWords(pool, BARRIER_WORDS, "Barrier"), options).init(parties);
  }

  readonly action: (() => void) | undefined;
  readonly timeoutMs: number;

  /** The barrier in `words` (BARRIER_WORDS Int32 words of shared memory); call init once before use. */
  constructor(readonly words: Int32Array, options: BarrierOptions = {}) {
    checkWords(words, BARRIER_WORDS, "barrier");
    if (options.action !== undefined && typeof options.action !== "function") throw invalid("action", options.action, "a function");
    checkTimeout(options.timeoutMs ?? Infinity);
    this.action = options.action;
    this.timeoutMs = options.timeoutMs ?? Infinity;
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** Sets the barrier up for `parties` parties, intact, nobody arrived. No party may be waiting. */
  init(parties: number): this {
    if (!Number.isInteger(parties) || parties < 1 || parties > MAX_PARTIES) throw invalid("parties", parties, `an integer from 1 to ${MAX_PARTIES}`);
    const w = this.words;
    Atomics.store(w, TICKET, 0);
    Atomics.store(w, PARTIES, parties);
    Atomics.store(w, SLEEPERS, 0);
    Atomics.store(w, STATE, INTACT);
    return this;
  }

  get parties(): number {
    return Atomics.load(this.words, PARTIES);
  }

  /** Parties waiting in the current round. */
  get nWaiting(): number {
    return Atomics.load(this.words, STATE) === INTACT ? arrivedOf(Atomics.load(this.words, TICKET)) : 0;
  }

  /** Completed rounds, modulo 2¹⁶. */
  get generation(): number {
    return roundOf(Atomics.load(this.words, TICKET));
  }

  get broken(): boolean {
    const s = Atomics.load(this.words, STATE);
    return s === TIMED_OUT || s === ABORTED;
  }

  /**
   * Waits (blocking the thread) until every party has arrived; returns this party's arrival
   * index. Throws BrokenBarrierError if the barrier is or gets broken, and after `timeoutMs`
   * (which breaks it). For worker threads.
   */
  wait(timeoutMs = this.timeoutMs): number {
    return block(this.waitLoop(deadlineOf(timeoutMs), true));
  }

  /** As wait, without blocking the calling thread. */
  async waitAsync(timeoutMs = this.timeoutMs): Promise<number> {
    return drive(this.waitLoop(deadlineOf(timeoutMs), false));
  }

  /** Breaks the barrier: every waiting party, and every later wait until reset, throws. */
  abort(): void {
    const w = this.words;
    for (let s = Atomics.load(w, STATE); s !== TIMED_OUT && s !== ABORTED;) {
      const seen = Atomics.compareExchange(w, STATE, s, ABORTED);
      if (seen === s) break;
      s = seen;
    }
    Atomics.notify(w, TICKET);
  }

  /** Breaks the waiting parties (reason "reset") and makes the barrier intact again once they left. */
  reset(): void {
    Atomics.store(this.words, STATE, RESETTING);
    Atomics.notify(this.words, TICKET);
    this.settleReset();
  }

  /** The one loop of wait and waitAsync: arrive, then (unless last) wait for the release. */
  private *waitLoop(deadline: number, spin: boolean): WaitLoop<number> {
    const w = this.words;
    let t: number;
    for (;;) {
      const s = Atomics.load(w, STATE);
      if (s === TIMED_OUT || s === ABORTED) throw new BrokenBarrierError(reasonOf(s));
      t = Atomics.load(w, TICKET);
      // a reset whose parties have not all left, or a round full and not yet released: wait
      if (s === RESETTING || arrivedOf(t) >= Atomics.load(w, PARTIES)) {
        // not yet arrived, so a timeout here leaves the barrier as it is
        const left = remaining(deadline);
        if (left === 0) throw new BrokenBarrierError("timed-out");
        yield* this.sleep(t, Math.min(left, 1));
        continue;
      }
      if (Atomics.compareExchange(w, TICKET, t, t + 1) === t) break;
    }
    const round = roundOf(t);
    const index = arrivedOf(t);
    if (index === Atomics.load(w, PARTIES) - 1) {
      if (this.action) {
        try {
          this.action();
        } catch (e) {
          this.abort();
          try {
            this.leave(round, index);
          } catch {
            // leaving a broken round throws BrokenBarrierError: this party throws the action's error
          }
          throw e;
        }
      }
      if (Atomics.compareExchange(w, TICKET, t + 1, ((round + 1) & 0xffff) << 16) === t + 1) {
        if (Atomics.load(w, SLEEPERS) !== 0) Atomics.notify(w, TICKET);
        this.settleReset();
        return index;
      }
      return this.leave(round, index); // broken (or reset) before the release
    }
    for (let i = spin ? SPINS : 0; i > 0; i--) {
      if (roundOf(Atomics.load(w, TICKET)) !== round || Atomics.load(w, STATE) !== INTACT) break;
    }
    for (;;) {
      const now = Atomics.load(w, TICKET);
      if (roundOf(now) !== round) return index;
      if (Atomics.load(w, STATE) !== INTACT) return this.leave(round, index);
      const left = remaining(deadline);
      if (left === 0) {
        Atomics.compareExchange(w, STATE, INTACT, TIMED_OUT);
        Atomics.notify(w, TICKET);
        continue;
      }
      yield* this.sleep(now, left);
    }
  }

  private *sleep(ticket: number, timeoutMs: number): WaitLoop<void> {
    const w = this.words;
    Atomics.add(w, SLEEPERS, 1);
    try {
      yield sleepOn(w, TICKET, ticket, timeoutMs);
    } finally {
      Atomics.sub(w, SLEEPERS, 1);
    }
  }

  /** A broken party leaves its round (uncounts itself) and throws, unless the release came first. */
  private leave(round: number, index: number): number {
    const w = this.words;
    for (let t = Atomics.load(w, TICKET); ;) {
      if (roundOf(t) !== round) return index;
      const seen = Atomics.compareExchange(w, TICKET, t, t - 1);
      if (seen === t) break;
      t = seen;
    }
    const s = Atomics.load(w, STATE);
    this.settleReset();
    throw new BrokenBarrierError(reasonOf(s));
  }

  /** Whoever finds a reset with nobody left in the round makes the barrier intact again. */
  private settleReset(): void {
    const w = this.words;
    if (Atomics.load(w, STATE) === RESETTING && arrivedOf(Atomics.load(w, TICKET)) === 0 &&
        Atomics.compareExchange(w, STATE, RESETTING, INTACT) === RESETTING) {
      Atomics.notify(w, TICKET);
    }
  }
}

function reasonOf(state: number): BarrierBreak {
  return state === TIMED_OUT ? "timed-out" : state === ABORTED ? "aborted" : "reset";
}
