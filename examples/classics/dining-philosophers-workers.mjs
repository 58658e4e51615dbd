// The worker side of dining-philosophers.mjs: JS kernels, one philosopher per call.
import { BLOCK_WORDS, Condition } from "wasm-mp/sync";

let memory;
export function init(m) {
  memory = m;
}

/** The shared table (3n + 3 int32 words from the pool): forks, eating, meals (n each), then stats. */
export function table(buffer, ptr, n) {
  const at = (k, length) => new Int32Array(buffer, ptr + 4 * k * n, length);
  return { forks: at(0, n), eating: at(1, n), meals: at(2, n), stats: at(3, 3) };
}
/** stats[…]: neighbours seen eating together; philosophers eating now; most ever eating at once. */
export const CLASHES = 0, EATING_NOW = 1, MOST_AT_ONCE = 2;

/** Sleeps `ms` (a blocking wait on a private word that nobody notifies). */
const napWord = new Int32Array(new SharedArrayBuffer(4));
const nap = (ms) => { if (ms > 0) Atomics.wait(napWord, 0, 0, ms); };

/**
 * Philosopher `me` of `n` eats `meals` times. The waiter is a Condition: a philosopher asks it
 * (holding its lock) to wait until both its forks are free, takes both at once, eats, puts both
 * back and tells everyone waiting (notifyAll: the freed forks may be what either neighbour waits
 * for). While eating it checks that neither neighbour eats too, counting clashes. Returns the
 * meals eaten.
 */
export function philosopher(condPtr, tablePtr, n, me, meals, eatMs, thinkMs) {
  const waiter = new Condition(new Int32Array(memory.buffer, condPtr, BLOCK_WORDS));
  const { forks, eating, meals: eaten, stats } = table(memory.buffer, tablePtr, n);
  const left = me, right = (me + 1) % n;
  for (let m = 0; m < meals; m++) {
    nap(thinkMs);
    waiter.lock.lock();
    waiter.waitFor(() => Atomics.load(forks, left) === 0 && Atomics.load(forks, right) === 0);
    Atomics.store(forks, left, 1);
    Atomics.store(forks, right, 1);
    waiter.lock.unlock();

    Atomics.store(eating, me, 1);
    const now = Atomics.add(stats, EATING_NOW, 1) + 1;
    for (let most = Atomics.load(stats, MOST_AT_ONCE); now > most; most = Atomics.load(stats, MOST_AT_ONCE)) {
      if (Atomics.compareExchange(stats, MOST_AT_ONCE, most, now) === most) break;
    }
    const clash = () => Atomics.load(eating, (me + n - 1) % n) !== 0 || Atomics.load(eating, (me + 1) % n) !== 0;
    if (clash()) Atomics.add(stats, CLASHES, 1);
    nap(eatMs);
    if (clash()) Atomics.add(stats, CLASHES, 1);
    Atomics.sub(stats, EATING_NOW, 1);
    Atomics.store(eating, me, 0);
    Atomics.add(eaten, me, 1);

    waiter.lock.lock();
    Atomics.store(forks, left, 0);
    Atomics.store(forks, right, 0);
    waiter.notifyAll();
    waiter.lock.unlock();
  }
  return meals;
}
