/**
 * The generation-counted barrier of assembly/barrier.ts, from JavaScript: the same words and
 * the same protocol, so JS threads and wasm kernels can be parties of one barrier. The memory
 * layout and the reasoning behind the protocol (spin then sleep, the sleepers word, breaking on
 * timeout) are written down once, in assembly/barrier.ts; the word indices below mirror it.
 *
 *   const words = pool.alloc(Int32Array, BARRIER_WORDS);
 *   const barrier = new Barrier(words).init(3);
 *   // kernels: barrierWait(words.byteOffset, timeoutMs) → 0 ok, 1 timed out, 2 cancelled
 *   // a worker thread: barrier.wait(timeoutMs); the main thread: await barrier.waitAsync(timeoutMs)
 */
import { invalid } from "../errors.js";
import { isSharedBuffer } from "../memory/arena.js";

/** Int32 words a barrier occupies: one 64-byte cache line. */
export const BARRIER_WORDS = 16;
export const BARRIER_BYTES = BARRIER_WORDS * 4;

const ARRIVED = 0;
const GENERATION = 1;
const PARTIES = 2;
const STATE = 3;
const SLEEPERS = 4;

/** What a wait returned, by the kernels' code: index 0, 1, 2. */
export const BARRIER_RESULTS = ["ok", "timed-out", "cancelled"] as const;
export type BarrierResult = (typeof BARRIER_RESULTS)[number];

/** Atomic loads of the generation before a blocking wait sleeps (as in assembly/barrier.ts). */
const SPINS = 20000;

export class Barrier {
  /**
   * The barrier in `words` (at least BARRIER_WORDS Int32 words of shared memory, e.g. from
   * pool.alloc). Does not initialize it: call init once, before any party waits.
   */
  constructor(readonly words: Int32Array) {
    if (!(words instanceof Int32Array) || words.length < BARRIER_WORDS || !isSharedBuffer(words.buffer)) {
      throw invalid("words", words, `an Int32Array of at least ${BARRIER_WORDS} words on a SharedArrayBuffer (e.g. pool.alloc(Int32Array, BARRIER_WORDS))`);
    }
  }

  /** Byte offset of the barrier in its memory: the pointer kernels take. */
  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** Sets the barrier up for `parties` parties, intact, nobody arrived. No party may be waiting. */
  init(parties: number): this {
    if (!Number.isInteger(parties) || parties < 1 || parties > 2 ** 31 - 1) throw invalid("parties", parties, "an integer of at least 1");
    const w = this.words;
    Atomics.store(w, ARRIVED, 0);
    Atomics.store(w, GENERATION, 0);
    Atomics.store(w, PARTIES, parties);
    Atomics.store(w, SLEEPERS, 0);
    Atomics.store(w, STATE, 0);
    return this;
  }

  get parties(): number {
    return Atomics.load(this.words, PARTIES);
  }

  /** Completed generations (rounds), modulo 2³². */
  get generation(): number {
    return Atomics.load(this.words, GENERATION);
  }

  /** "ok" while intact; else why it broke. */
  get state(): BarrierResult {
    return BARRIER_RESULTS[Atomics.load(this.words, STATE)] ?? "cancelled";
  }

  /**
   * Blocks until every party has arrived ("ok"), `timeoutMs` has passed ("timed-out"; this
   * breaks the barrier, so the other parties get "timed-out" too), or the barrier is aborted
   * ("cancelled"). For worker threads: Atomics.wait is not allowed on a browser's main thread.
   */
  wait(timeoutMs = Infinity): BarrierResult {
    const arrival = this.arrive();
    if (typeof arrival === "string") return arrival;
    const w = this.words;
    const deadline = performance.now() + timeoutMs;
    for (let i = 0; i < SPINS; i++) {
      if (Atomics.load(w, GENERATION) !== arrival) return "ok";
      if (Atomics.load(w, STATE) !== 0) return this.state;
    }
    for (;;) {
      Atomics.add(w, SLEEPERS, 1);
      const woke = Atomics.wait(w, GENERATION, arrival, Math.max(0, deadline - performance.now()));
      Atomics.sub(w, SLEEPERS, 1);
      const settled = this.settled(arrival, woke === "timed-out" || performance.now() >= deadline);
      if (settled) return settled;
    }
  }

  /** As wait, without blocking the calling thread: for the main thread. Does not spin. */
  async waitAsync(timeoutMs = Infinity): Promise<BarrierResult> {
    const arrival = this.arrive();
    if (typeof arrival === "string") return arrival;
    const w = this.words;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      Atomics.add(w, SLEEPERS, 1);
      const { async, value } = Atomics.waitAsync(w, GENERATION, arrival, Math.max(0, deadline - performance.now()));
      const woke = async ? await value : value;
      Atomics.sub(w, SLEEPERS, 1);
      const settled = this.settled(arrival, woke === "timed-out" || performance.now() >= deadline);
      if (settled) return settled;
    }
  }

  /** Breaks the barrier: every waiting party, and every later wait until init, gets "cancelled". */
  abort(): void {
    Atomics.compareExchange(this.words, STATE, 0, 2);
    Atomics.notify(this.words, GENERATION);
  }

  /** Arrives; returns the result when known at once, else the generation to wait on. */
  private arrive(): BarrierResult | number {
    const w = this.words;
    if (Atomics.load(w, STATE) !== 0) return this.state;
    // read before arriving: the generation cannot move on until this party has arrived
    const generation = Atomics.load(w, GENERATION);
    if (Atomics.add(w, ARRIVED, 1) + 1 === Atomics.load(w, PARTIES)) {
      Atomics.store(w, ARRIVED, 0);
      Atomics.add(w, GENERATION, 1);
      if (Atomics.load(w, SLEEPERS) !== 0) Atomics.notify(w, GENERATION);
      return "ok";
    }
    return generation;
  }

  /** After a sleep: the result if the wait is over, undefined to sleep again. */
  private settled(generation: number, timedOut: boolean): BarrierResult | undefined {
    const w = this.words;
    if (Atomics.load(w, GENERATION) !== generation) return "ok";
    if (Atomics.load(w, STATE) !== 0) return this.state;
    if (!timedOut) return undefined;
    Atomics.compareExchange(w, STATE, 0, 1);
    Atomics.notify(w, GENERATION);
    // a release may have come between the last check and the break: it wins for this party
    return Atomics.load(w, GENERATION) !== generation ? "ok" : this.state;
  }
}
