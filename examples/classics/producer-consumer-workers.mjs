// The worker side of producer-consumer.mjs: JS kernels (createPool({ module: this file })).
// Each gets the queue's byte offset and rebuilds the JoinableQueue over the same words.
import { JoinableQueue, queueWords } from "wasm-mp/sync";

let memory;
/** Run once in each worker before its first call: the pool's memory. */
export function init(m) {
  memory = m;
}

const queueAt = (ptr, capacity) => new JoinableQueue(new Int32Array(memory.buffer, ptr, queueWords(capacity, 1)));

/** Puts the items first … first+count−1, waiting while the queue is full. Returns how many it put. */
export function produce(q, capacity, first, count) {
  const queue = queueAt(q, capacity);
  let put = 0;
  for (let item = first; item < first + count; item++) if (queue.put(item)) put++;
  return put;
}

/**
 * Takes items until the queue is closed and empty. For each: a little work (`workUs`
 * microseconds of spinning), a tally in `seen[item]`, one more in `done[0]`, then taskDone() —
 * in that order, so that whoever sees join() resolve sees every tally. Returns how many it took.
 */
export function consume(q, capacity, seenPtr, n, donePtr, workUs) {
  const queue = queueAt(q, capacity);
  const seen = new Int32Array(memory.buffer, seenPtr, n);
  const done = new Int32Array(memory.buffer, donePtr, 1);
  let taken = 0;
  for (let item = queue.get(); item !== undefined; item = queue.get()) {
    for (const until = performance.now() + workUs / 1000; performance.now() < until;);
    Atomics.add(seen, item, 1);
    Atomics.add(done, 0, 1);
    queue.taskDone();
    taken++;
  }
  return taken;
}
