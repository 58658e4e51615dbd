/**
 * Queue, JoinableQueue and Pipe for kernels (layouts: QueueLayout and ConnectionLayout in
 * ./sync-layout.ts; the same protocol as src/sync/queue.ts and pipe.ts).
 *
 * A number queue's get returns the number, or QUEUE_CLOSED once the queue is closed and empty:
 * a NaN with a payload of its own, which no put stores (a put stores every NaN as the canonical
 * NaN), so test for it with queueIsClosed(v), never isNaN(v) — a NaN item is an item.
 */
import { BLOCK_BYTES, ConnectionLayout, QueueLayout } from "./sync-layout";
import { mutexLock, mutexUnlock, sleep32 } from "./sync";

const Q_LOCK = offsetof<QueueLayout>("lock");
const Q_HEAD = offsetof<QueueLayout>("head");
const Q_COUNT = offsetof<QueueLayout>("count");
const Q_CAPACITY = offsetof<QueueLayout>("capacity");
const Q_RECORD = offsetof<QueueLayout>("record");
const Q_CLOSED = offsetof<QueueLayout>("closed");
const Q_NOT_EMPTY = offsetof<QueueLayout>("notEmpty");
const Q_NOT_FULL = offsetof<QueueLayout>("notFull");
const Q_UNFINISHED = offsetof<QueueLayout>("unfinished");
const Q_RING = BLOCK_BYTES;

/** The bits of queueGet's "closed and empty" answer: a quiet NaN no put stores. */
const CLOSED_BITS: u64 = 0x7ffc_105e_d000_0000;
const CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

/** Whether a number from queueGet / pipeRecv is the "closed and empty" mark. */
export function queueIsClosed(v: f64): bool {
  return reinterpret<u64>(v) == CLOSED_BITS;
}

/** Sets up an empty, open queue at `q` of `capacity` records of `recordLength` f64. */
export function queueInit(q: usize, capacity: i32, recordLength: i32): void {
  atomic.store<i32>(q + Q_LOCK, 0);
  atomic.store<i32>(q + Q_HEAD, 0);
  atomic.store<i32>(q + Q_COUNT, 0);
  atomic.store<i32>(q + Q_CLOSED, 0);
  atomic.store<i32>(q + Q_NOT_EMPTY, 0);
  atomic.store<i32>(q + Q_NOT_FULL, 0);
  atomic.store<i32>(q + Q_UNFINISHED, 0);
  atomic.store<i32>(q + Q_CAPACITY, capacity);
  atomic.store<i32>(q + Q_RECORD, recordLength);
}

/**
 * Adds the record of recordLength f64 at `src` (or the one number `value` when src is 0),
 * waiting for room: 1 added, 0 the queue is closed.
 */
function put(q: usize, src: usize, value: f64): i32 {
  mutexLock(q + Q_LOCK);
  while (true) {
    if (atomic.load<i32>(q + Q_CLOSED) != 0) {
      mutexUnlock(q + Q_LOCK);
      return 0;
    }
    const capacity = atomic.load<i32>(q + Q_CAPACITY);
    const count = atomic.load<i32>(q + Q_COUNT);
    if (count < capacity) {
      const rec = atomic.load<i32>(q + Q_RECORD);
      const slot = q + Q_RING + (<usize>(((atomic.load<i32>(q + Q_HEAD) + count) % capacity) * rec) << 3);
      if (src != 0) memory.copy(slot, src, <usize>rec << 3);
      else store<f64>(slot, value != value ? reinterpret<f64>(CANONICAL_NAN) : value);
      atomic.add<i32>(q + Q_UNFINISHED, 1);
      atomic.store<i32>(q + Q_COUNT, count + 1);
      atomic.add<i32>(q + Q_NOT_EMPTY, 1);
      mutexUnlock(q + Q_LOCK);
      atomic.notify(q + Q_NOT_EMPTY, 1);
      return 1;
    }
    const seq = atomic.load<i32>(q + Q_NOT_FULL);
    mutexUnlock(q + Q_LOCK);
    sleep32(q + Q_NOT_FULL, seq, -1);
    mutexLock(q + Q_LOCK);
  }
}

/** The number the last take with dst 0 took (a global: one per instance, so per thread). */
let taken: f64 = 0;

/** Takes the oldest record into `dst` (or into `taken` when dst is 0), waiting while empty: 1 taken, 0 closed and empty. */
function take(q: usize, dst: usize): i32 {
  mutexLock(q + Q_LOCK);
  while (true) {
    const count = atomic.load<i32>(q + Q_COUNT);
    if (count > 0) {
      const rec = atomic.load<i32>(q + Q_RECORD);
      const head = atomic.load<i32>(q + Q_HEAD);
      const slot = q + Q_RING + (<usize>(head * rec) << 3);
      if (dst != 0) memory.copy(dst, slot, <usize>rec << 3);
      else taken = load<f64>(slot);
      atomic.store<i32>(q + Q_HEAD, (head + 1) % atomic.load<i32>(q + Q_CAPACITY));
      atomic.store<i32>(q + Q_COUNT, count - 1);
      atomic.add<i32>(q + Q_NOT_FULL, 1);
      mutexUnlock(q + Q_LOCK);
      atomic.notify(q + Q_NOT_FULL, 1);
      return 1;
    }
    if (atomic.load<i32>(q + Q_CLOSED) != 0) {
      mutexUnlock(q + Q_LOCK);
      return 0;
    }
    const seq = atomic.load<i32>(q + Q_NOT_EMPTY);
    mutexUnlock(q + Q_LOCK);
    sleep32(q + Q_NOT_EMPTY, seq, -1);
    mutexLock(q + Q_LOCK);
  }
}

/** Adds one number (a queue of recordLength 1), waiting for room: 1 added, 0 the queue is closed. */
export function queuePut(q: usize, value: f64): i32 {
  return put(q, 0, value);
}

/** Takes the oldest number (a queue of recordLength 1), waiting while empty; once closed and empty, a value for which queueIsClosed is true. */
export function queueGet(q: usize): f64 {
  return take(q, 0) ? taken : reinterpret<f64>(CLOSED_BITS);
}

/** Adds the record of recordLength f64 at `src`, waiting for room: 1 added, 0 the queue is closed. */
export function queuePutRecord(q: usize, src: usize): i32 {
  return put(q, src, 0);
}

/** Takes the oldest record into `dst`, waiting while the queue is empty: 1 taken, 0 closed and empty. */
export function queueGetRecord(q: usize, dst: usize): i32 {
  return take(q, dst);
}

/** Closes the queue and wakes every waiter (takes no lock, like Queue.close in JS). */
export function queueClose(q: usize): void {
  atomic.store<i32>(q + Q_CLOSED, 1);
  atomic.add<i32>(q + Q_NOT_EMPTY, 1);
  atomic.add<i32>(q + Q_NOT_FULL, 1);
  atomic.notify(q + Q_NOT_EMPTY, -1);
  atomic.notify(q + Q_NOT_FULL, -1);
}

/** Records in the queue now. */
export function queueSize(q: usize): i32 {
  return atomic.load<i32>(q + Q_COUNT);
}

/** JoinableQueue: marks one task done: 1 done, 0 refused (more done than put). */
export function queueTaskDone(q: usize): i32 {
  const was = atomic.sub<i32>(q + Q_UNFINISHED, 1);
  if (was <= 0) {
    atomic.add<i32>(q + Q_UNFINISHED, 1);
    return 0;
  }
  if (was == 1) atomic.notify(q + Q_UNFINISHED, -1);
  return 1;
}

/** JoinableQueue: waits until every item put is done, each sleep at most `timeoutMs`: 1 all done, 0 timed out. */
export function queueJoin(q: usize, timeoutMs: f64): i32 {
  while (true) {
    const u = atomic.load<i32>(q + Q_UNFINISHED);
    if (u == 0) return 1;
    if (sleep32(q + Q_UNFINISHED, u, timeoutMs) == AtomicWaitResult.TIMED_OUT) return atomic.load<i32>(q + Q_UNFINISHED) == 0 ? 1 : 0;
  }
}

// ---- Pipe: an end is a pair of queue offsets ------------------------------------------------

const P_SEND = offsetof<ConnectionLayout>("send");
const P_RECV = offsetof<ConnectionLayout>("recv");

/** Sends a number from the pipe end at `conn`: 1 sent, 0 the pipe is closed. */
export function pipeSend(conn: usize, value: f64): i32 {
  return put(<usize>atomic.load<i32>(conn + P_SEND), 0, value);
}

/** Receives a number at the pipe end `conn`; queueIsClosed(v) once the other end closed and all is read. */
export function pipeRecv(conn: usize): f64 {
  return queueGet(<usize>atomic.load<i32>(conn + P_RECV));
}

/** Whether a receive at `conn` would return at once (an item, or closed). Never waits. */
export function pipePoll(conn: usize): i32 {
  const q = <usize>atomic.load<i32>(conn + P_RECV);
  return atomic.load<i32>(q + Q_COUNT) > 0 || atomic.load<i32>(q + Q_CLOSED) != 0 ? 1 : 0;
}

/** Closes the pipe end at `conn` (both of its queues). */
export function pipeClose(conn: usize): void {
  const send = <usize>atomic.load<i32>(conn + P_SEND);
  const recv = <usize>atomic.load<i32>(conn + P_RECV);
  if (send != 0) queueClose(send);
  if (recv != 0) queueClose(recv);
}
