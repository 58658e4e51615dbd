// Producers and consumers on a JoinableQueue, as Python's
// `q = JoinableQueue(); … q.task_done() … q.join()`: producers (JS kernels in workers,
// producer-consumer-workers.mjs) put numbered items into a small bounded queue, consumers take
// them and mark each done; the main thread waits for the producers, then joins the queue, which
// resolves only once every item has been marked done; then it closes the queue to let the
// consumers go.
//
//   node examples/classics/producer-consumer.mjs
import { pathToFileURL } from "node:url";
import { createPool } from "wasm-mp";
import { JoinableQueue } from "wasm-mp/sync";

/**
 * `producers` producers put `perProducer` items each (producer p: p·perProducer …) into a
 * queue of `capacity`; `consumers` consumers take them. Returns, per item, how many times it
 * was consumed; the number done when join() resolved; what each producer put and consumer took.
 */
export async function producerConsumer({ producers = 3, consumers = 3, perProducer = 200, capacity = 8, workUs = 200 } = {}) {
  const pool = await createPool({ module: new URL("./producer-consumer-workers.mjs", import.meta.url), workers: producers + consumers });
  try {
    const n = producers * perProducer;
    const queue = JoinableQueue.create(pool, capacity);
    const seen = pool.alloc(Int32Array, n);
    const done = pool.alloc(Int32Array, 1);
    const taking = Array.from({ length: consumers }, () =>
      pool.apply("consume", [queue, capacity, seen, n, done, workUs]));
    const putting = Array.from({ length: producers }, (_, p) =>
      pool.apply("produce", [queue, capacity, p * perProducer, perProducer]));
    const put = await Promise.all(putting);
    const unfinishedAtJoin = queue.unfinished;
    await queue.joinAsync();
    const doneAtJoin = Atomics.load(done, 0);
    queue.close(); // consumers' get() now returns undefined once the queue is empty: they return
    const taken = await Promise.all(taking);
    return { n, seen: [...seen], doneAtJoin, unfinishedAtJoin, unfinishedAfter: queue.unfinished, put, taken };
  } finally {
    await pool.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const producers = 3, consumers = 3, perProducer = 200;
  const r = await producerConsumer({ producers, consumers, perProducer });
  console.log(`${producers} producers × ${perProducer} items, ${consumers} consumers, a queue of 8:`);
  console.log(`  put per producer: [${r.put.join(", ")}]; taken per consumer: [${r.taken.join(", ")}]`);
  console.log(`  join() waited for ${r.unfinishedAtJoin} unfinished items; when it resolved, ${r.doneAtJoin} of ${r.n} were done`);
  const once = r.seen.every((c) => c === 1);
  console.log(`  every item consumed exactly once: ${once}`);
  const ok = once && r.doneAtJoin === r.n && r.unfinishedAfter === 0;
  console.log(ok ? "join() resolved only after every taskDone()" : "WRONG");
  process.exitCode = ok ? 0 : 1;
}
