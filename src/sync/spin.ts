/**
 * How long a blocking Event or Condition waiter polls its word before it sleeps: adapted, per
 * primitive object (so per thread), to what polling has been worth.
 *
 * Why: a futex wake-up costs 5–50 µs, so polling first lets a hop between two threads that both
 * have a core take well under a microsecond. But where threads outnumber cores, polling burns
 * the time slice the other side needs to answer, and a thread that polled is no longer favoured
 * by the scheduler when it wakes: on 2 cores at load average 15–20, a ping-pong hop of raw
 * Atomics took 5–20 µs sleeping at once and 220–430 µs polling 20 000 loads first
 * (bench/sync.bench.js has the reference). So:
 *
 *   - the budget doubles each time a poll sees the change (up to MAX_WAKE_SPINS, ~20 µs) and
 *     halves each time it does not (down to MIN_WAKE_SPINS, ~0.1 µs);
 *   - at the floor, a poll of the full budget now and then (a probe) finds out whether polling
 *     pays again (the load went away); each probe that fails doubles the waits until the next
 *     one (up to MAX_PROBE_GAP), so that on a loaded host they cost next to nothing.
 *
 * Polling only comes before a waiter counts itself a sleeper and re-checks its word, so the
 * budget changes how soon a waiter sleeps, never whether it sees a wake-up.
 */
export const MIN_WAKE_SPINS = 64;
export const MAX_WAKE_SPINS = 20000;
const MAX_PROBE_GAP = 1024;

export class Spinner {
  /** Loads the next poll makes (unless it is a probe). */
  budget = MAX_WAKE_SPINS;
  private probeGap = 1;
  private sinceProbe = 0;

  /** Polls words[index] while it holds `value`, for the budget; whether it changed meanwhile. */
  poll(words: Int32Array, index: number, value: number): boolean {
    const probe = this.budget === MIN_WAKE_SPINS && ++this.sinceProbe >= this.probeGap;
    const spins = probe ? MAX_WAKE_SPINS : this.budget;
    let won = false;
    for (let i = 0; i < spins; i++) {
      if (Atomics.load(words, index) !== value) {
        won = true;
        break;
      }
    }
    if (probe) {
      this.sinceProbe = 0;
      if (won) this.budget = MAX_WAKE_SPINS, this.probeGap = 1;
      else this.probeGap = Math.min(MAX_PROBE_GAP, this.probeGap * 2);
    } else {
      this.budget = won ? Math.min(MAX_WAKE_SPINS, spins * 2) : Math.max(MIN_WAKE_SPINS, spins >> 1);
    }
    return won;
  }
}
