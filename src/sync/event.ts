/**
 * An event in shared memory, as Python's Event (layout: EventLayout in assembly/sync-layout.ts;
 * from kernels: eventSet / eventClear / eventWait): set() wakes every waiter, clear() lowers
 * the flag, wait(timeout) returns whether the event was set.
 *
 *   const start = Event.create(pool);
 *   // workers: start.wait(); the main thread: await start.waitAsync(); then start.set()
 */
import { BLOCK_WORDS, EventWord } from "./layout.js";
import { Spinner } from "./spin.js";
import { block, checkWords, deadlineOf, drive, remaining, sleepOn, type Allocator, allocWords, type WaitLoop } from "./wait.js";

const { state: STATE, sleepers: SLEEPERS } = EventWord;

export class Event {
  static create(pool: Allocator): Event {
    return new Event(allocWords(pool, BLOCK_WORDS, "Event"));
  }

  /** How long a blocking wait polls the state word before it sleeps (src/sync/spin.ts). */
  private readonly spinner = new Spinner();

  /** The event in `words` (zeroed words: a clear event). */
  constructor(readonly words: Int32Array) {
    checkWords(words, 2, "event");
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  isSet(): boolean {
    return (Atomics.load(this.words, STATE) & 1) !== 0;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    const w = this.words;
    // state = 2·sets + flag: a set bumps the sets, so a waiter woken by a set that a clear
    // follows at once still sees that it was set
    for (let s = Atomics.load(w, STATE); !(s & 1);) {
      const seen = Atomics.compareExchange(w, STATE, s, (s | 1) + 2);
      if (seen === s) {
        if (Atomics.load(w, SLEEPERS) !== 0) Atomics.notify(w, STATE);
        return;
      }
      s = seen;
    }
  }

  /** Lowers the flag: later waits wait for the next set. */
  clear(): void {
    Atomics.and(this.words, STATE, ~1);
  }

  /** Waits (blocking the thread) until the event is set, at most `timeoutMs`; whether it was set. */
  wait(timeoutMs = Infinity): boolean {
    return this.isSet() || block(this.waitLoop(deadlineOf(timeoutMs), true));
  }

  /** As wait, without blocking the calling thread. */
  async waitAsync(timeoutMs = Infinity): Promise<boolean> {
    return this.isSet() || drive(this.waitLoop(deadlineOf(timeoutMs), false));
  }

  /** The one wait loop; a blocking waiter first polls the word a while (src/sync/spin.ts). */
  private *waitLoop(deadline: number, blocking: boolean): WaitLoop<boolean> {
    const w = this.words;
    const first = Atomics.load(w, STATE);
    // set between isSet() and this load: nothing to poll for (a poll would wait its whole budget
    // for a further change that the other side, waiting for us, never makes)
    if (blocking && !(first & 1)) this.spinner.poll(w, STATE, first);
    for (;;) {
      const s = Atomics.load(w, STATE);
      if ((s & 1) !== 0 || s >>> 1 !== first >>> 1) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      Atomics.add(w, SLEEPERS, 1);
      try {
        yield sleepOn(w, STATE, s, left);
      } finally {
        Atomics.sub(w, SLEEPERS, 1);
      }
    }
  }
}
