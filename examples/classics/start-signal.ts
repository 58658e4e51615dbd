/**
 * The kernel side of start-signal.mjs: a worker that waits for the start signal, an Event the
 * main thread sets (Python: `start = Event(); … start.wait()` in each worker, `start.set()`).
 *
 * Built with this folder's asconfig.json (start-signal.mjs does it when the .wasm is missing
 * or older than this file).
 */
import { eventWait } from "wasm-mp/assembly/sync";

/**
 * Worker `me`: counts itself ready (the i32 at `ready`, with a notify so the main thread need
 * not poll), waits for the event, then records what it saw the moment it started: the i32 at
 * `flag` (the main thread writes 1 there just before setting the event) into starts[me], and
 * counts itself started. Each sleep lasts at most `timeoutMs`. Returns eventWait's answer
 * (1 set, 0 timed out).
 */
export function worker(event: usize, ready: usize, flag: usize, started: usize, starts: usize, me: i32, timeoutMs: f64): i32 {
  atomic.add<i32>(ready, 1);
  atomic.notify(ready, -1);
  const set = eventWait(event, timeoutMs);
  atomic.store<i32>(starts + (<usize>me << 2), atomic.load<i32>(flag));
  atomic.add<i32>(started, 1);
  return set;
}
