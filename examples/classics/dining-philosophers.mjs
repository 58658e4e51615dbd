// Dining philosophers with a waiter, as Python's classic with a Condition: the waiter admits a
// philosopher only when both of its forks are free, so nobody ever holds one fork and waits for
// the other — no deadlock. Each philosopher is a JS kernel in its own worker
// (dining-philosophers-workers.mjs); forks, who is eating and the meals are shared words.
//
//   node examples/classics/dining-philosophers.mjs
import { pathToFileURL } from "node:url";
import { createPool } from "wasm-mp";
import { Condition, Mutex } from "wasm-mp/sync";
import { CLASHES, MOST_AT_ONCE, table } from "./dining-philosophers-workers.mjs";

/**
 * `philosophers` philosophers eat `meals` times each, eating `eatMs` and thinking `thinkMs`
 * between meals. Returns the meals each ate (counted in shared memory), how often two
 * neighbours were seen eating at once, and the most that ever ate at once.
 */
export async function diningPhilosophers({ philosophers = 5, meals = 20, eatMs = 1, thinkMs = 1 } = {}) {
  const pool = await createPool({ module: new URL("./dining-philosophers-workers.mjs", import.meta.url), workers: philosophers });
  try {
    const waiter = Condition.create(pool, Mutex.create(pool));
    const words = pool.alloc(Int32Array, 3 * philosophers + 3);
    const calls = Array.from({ length: philosophers }, (_, me) =>
      pool.apply("philosopher", [waiter, words, philosophers, me, meals, eatMs, thinkMs]));
    const returned = await Promise.all(calls);
    const t = table(pool.memory.buffer, words.byteOffset, philosophers);
    return { returned, meals: [...t.meals], clashes: t.stats[CLASHES], mostAtOnce: t.stats[MOST_AT_ONCE], forks: [...t.forks] };
  } finally {
    await pool.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const philosophers = 5, meals = 20;
  const t0 = performance.now();
  const r = await diningPhilosophers({ philosophers, meals });
  console.log(`${philosophers} philosophers, ${meals} meals each, a waiter (Condition) admitting one only when both forks are free:`);
  console.log(`  meals eaten: [${r.meals.join(", ")}] in ${(performance.now() - t0).toFixed(0)} ms, no deadlock`);
  console.log(`  neighbours seen eating at once: ${r.clashes}; most eating at once: ${r.mostAtOnce} (at most ${Math.floor(philosophers / 2)} can)`);
  const ok = r.meals.every((m) => m === meals) && r.clashes === 0 && r.mostAtOnce <= Math.floor(philosophers / 2);
  console.log(ok ? "every philosopher ate every meal, never beside an eating neighbour" : "WRONG");
  process.exitCode = ok ? 0 : 1;
}
