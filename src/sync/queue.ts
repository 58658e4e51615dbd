/**
 * A bounded multi-producer multi-consumer queue of numbers, of fixed-length records of numbers,
 * or of records with named typed fields, in shared memory (layout: QueueLayout in
 * assembly/sync-layout.ts; from kernels: queuePut / queueGet / queueClose in assembly/sync.ts).
 * put waits while the queue is full (backpressure), get waits while it is empty, and close
 * wakes everyone: puts then fail, gets drain what is left and then report the queue closed.
 *
 *   const q = Queue.create(pool, 8);                                 // 8 numbers
 *   const r = Queue.create(pool, 8, { recordLength: 3 });            // 8 records of 3 numbers
 *   const p = Queue.create(pool, 8, { record: { x: "f64", id: "i32" } }); // 8 { x, id } objects
 *   // main thread: await q.putAsync(x), await q.getAsync(); worker threads: q.put(x), q.get()
 *
 * A get returns undefined when it got nothing: the queue is closed and empty, or the wait timed
 * out (tell them apart with `closed`). A put returns false when the queue is closed or the wait
 * timed out. Every put counts an unfinished task (see JoinableQueue).
 */
import { invalid } from "../errors.js";
import { QUEUE_HEADER_WORDS, QueueWord, queueWords, SPINS } from "./layout.js";
import { lockLoop } from "./mutex.js";
import { recordType, type Fields, type RecordOf, type RecordType } from "./record.js";
import { block, checkWords, deadlineOf, drive, remaining, sleepOn, type Allocator, allocWords, type WaitLoop } from "./wait.js";

const { lock: LOCK, head: HEAD, count: COUNT, capacity: CAPACITY, record: RECORD, closed: CLOSED,
  notEmpty: NOT_EMPTY, notFull: NOT_FULL, unfinished: UNFINISHED } = QueueWord;
const MAX_CAPACITY = 1 << 24;

export interface QueueOptions<F extends Fields = Fields> {
  /** Numbers per record. Default 1. */
  recordLength?: number;
  /** Named typed fields per record (src/sync/record.ts); put and get then take and give objects. */
  record?: F;
}

/** What a put takes: a number, recordLength numbers, or a record object. */
export type QueueItem = number | ArrayLike<number> | Record<string, number>;

export class Queue<F extends Fields = Fields> {
  /** A new, empty queue in the pool's memory. Free it with pool.free(queue.words). */
  static create<F extends Fields = Fields>(pool: Allocator, capacity: number, options: QueueOptions<F> = {}): Queue<F> {
    const type = options.record === undefined ? undefined : recordType(options.record);
    const recordLength = checkSizes(capacity, type ? type.byteLength / 8 : options.recordLength ?? 1);
    return new this(allocWords(pool, queueWords(capacity, recordLength), "Queue"), options).init(capacity, recordLength) as Queue<F>;
  }

  /** The record type of a queue of named records. */
  readonly type: RecordType<F> | undefined;
  private ring: Float64Array;
  private view: DataView;

  /**
   * The queue in `words` (queueWords(capacity, recordLength) Int32 words of shared memory). Over
   * words a queue already uses (in another thread), it is ready at once; fresh words need init.
   * Give a queue of named records the same `record` fields in every thread.
   */
  constructor(readonly words: Int32Array, options: QueueOptions<F> = {}) {
    checkWords(words, QUEUE_HEADER_WORDS, "queue");
    this.type = options.record === undefined ? undefined : recordType(options.record);
    [this.ring, this.view] = this.views();
  }

  /** Sets the queue up, empty and open. Nobody may be using it. */
  init(capacity: number, recordLength = 1): this {
    checkSizes(capacity, recordLength);
    if (this.type && this.type.byteLength !== recordLength * 8) throw invalid("recordLength", recordLength, `${this.type.byteLength / 8} for its record fields`);
    const needed = queueWords(capacity, recordLength);
    if (this.words.length < needed) throw invalid("capacity", capacity, `at most what the ${this.words.length} words hold (${needed} are needed)`);
    const w = this.words;
    for (const i of [LOCK, HEAD, COUNT, CLOSED, NOT_EMPTY, NOT_FULL, UNFINISHED]) Atomics.store(w, i, 0);
    Atomics.store(w, CAPACITY, capacity);
    Atomics.store(w, RECORD, recordLength);
    [this.ring, this.view] = this.views();
    return this;
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  get capacity(): number {
    return Atomics.load(this.words, CAPACITY);
  }

  get recordLength(): number {
    return Atomics.load(this.words, RECORD);
  }

  /** Records in the queue now. */
  get size(): number {
    return Atomics.load(this.words, COUNT);
  }

  get closed(): boolean {
    return Atomics.load(this.words, CLOSED) !== 0;
  }

  /** Closes the queue and wakes every waiter. Never waits itself. */
  close(): void {
    const w = this.words;
    Atomics.store(w, CLOSED, 1);
    Atomics.add(w, NOT_EMPTY, 1);
    Atomics.add(w, NOT_FULL, 1);
    Atomics.notify(w, NOT_EMPTY);
    Atomics.notify(w, NOT_FULL);
  }

  /** Adds a record if there is room; never waits (beyond the queue's lock). */
  tryPut(item: QueueItem): boolean {
    return block(this.putLoop(this.writer(item), 0));
  }

  /** Adds a record, waiting (blocking the thread) up to `timeoutMs` for room. For worker threads. */
  put(item: QueueItem, timeoutMs = Infinity): boolean {
    const write = this.writer(item);
    return block(this.putLoop(write, deadlineOf(timeoutMs)));
  }

  /** As put, without blocking the calling thread. */
  async putAsync(item: QueueItem, timeoutMs = Infinity): Promise<boolean> {
    const write = this.writer(item);
    return drive(this.putLoop(write, deadlineOf(timeoutMs)));
  }

  /** Takes the oldest item if there is one; never waits (beyond the queue's lock). */
  tryGet(): number | RecordOf<F> | undefined {
    return block(this.takeLoop(this.itemReader(), 0));
  }

  /** Takes the oldest number (or named record), blocking up to `timeoutMs`. For worker threads. */
  get(timeoutMs = Infinity): number | RecordOf<F> | undefined {
    const read = this.itemReader();
    return block(this.takeLoop(read, deadlineOf(timeoutMs)));
  }

  /** As get, without blocking the calling thread. */
  async getAsync(timeoutMs = Infinity): Promise<number | RecordOf<F> | undefined> {
    const read = this.itemReader();
    return drive(this.takeLoop(read, deadlineOf(timeoutMs)));
  }

  /** Takes the oldest record's numbers into `out` (default: a new Float64Array), waiting up to `timeoutMs`. */
  getRecord(out?: Float64Array, timeoutMs = Infinity): Float64Array | undefined {
    const into = this.recordBuffer(out);
    return block(this.takeLoop((at) => this.copyOut(at, into), deadlineOf(timeoutMs)));
  }

  /** As getRecord, without blocking the calling thread. */
  async getRecordAsync(out?: Float64Array, timeoutMs = Infinity): Promise<Float64Array | undefined> {
    const into = this.recordBuffer(out);
    return drive(this.takeLoop((at) => this.copyOut(at, into), deadlineOf(timeoutMs)));
  }

  /** Waits (blocking) until an item is there or the queue is closed, at most `timeoutMs`: whether a get would return at once. */
  waitReadable(timeoutMs = 0): boolean {
    return block(this.readableLoop(deadlineOf(timeoutMs)));
  }

  async waitReadableAsync(timeoutMs = 0): Promise<boolean> {
    return drive(this.readableLoop(deadlineOf(timeoutMs)));
  }

  private *readableLoop(deadline: number): WaitLoop<boolean> {
    const w = this.words;
    for (;;) {
      // the sequence before the count: a put after this read bumps it, so the sleep sees it
      const seq = Atomics.load(w, NOT_EMPTY);
      if (Atomics.load(w, COUNT) > 0 || Atomics.load(w, CLOSED) !== 0) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      // a put wakes one sleeper on notEmpty: a poll that took that wake passes it on to a getter
      if ((yield sleepOn(w, NOT_EMPTY, seq, left)) === "ok") Atomics.notify(w, NOT_EMPTY, 1);
    }
  }

  /**
   * The one put loop (put, putAsync, tryPut: deadline 0): take the lock, and while the queue
   * is full, read notFull's sequence, let the lock go and sleep while the sequence is unchanged.
   */
  private *putLoop(write: (at: number) => void, deadline: number): WaitLoop<boolean> {
    const w = this.words;
    for (;;) {
      if (!(yield* this.locking(deadline))) return false;
      const count = Atomics.load(w, COUNT);
      const room = Atomics.load(w, CLOSED) === 0 && count < Atomics.load(w, CAPACITY);
      if (room) {
        const cap = Atomics.load(w, CAPACITY);
        write(((Atomics.load(w, HEAD) + count) % cap) * Atomics.load(w, RECORD));
        Atomics.add(w, UNFINISHED, 1);
        Atomics.store(w, COUNT, count + 1);
        Atomics.add(w, NOT_EMPTY, 1);
      }
      const seq = Atomics.load(w, NOT_FULL);
      this.unlock();
      if (room) {
        Atomics.notify(w, NOT_EMPTY, 1);
        return true;
      }
      const left = remaining(deadline);
      if (Atomics.load(w, CLOSED) !== 0 || left === 0) return false;
      yield sleepOn(w, NOT_FULL, seq, left);
    }
  }

  /** The one get loop: as putLoop, waiting on notEmpty while the queue is empty and open. */
  private *takeLoop<T>(read: (at: number) => T, deadline: number): WaitLoop<T | undefined> {
    const w = this.words;
    for (;;) {
      if (!(yield* this.locking(deadline))) return undefined;
      const count = Atomics.load(w, COUNT);
      let value: T | undefined;
      if (count > 0) {
        const head = Atomics.load(w, HEAD);
        value = read(head * Atomics.load(w, RECORD));
        Atomics.store(w, HEAD, (head + 1) % Atomics.load(w, CAPACITY));
        Atomics.store(w, COUNT, count - 1);
        Atomics.add(w, NOT_FULL, 1);
      }
      const seq = Atomics.load(w, NOT_EMPTY);
      this.unlock();
      if (count > 0) {
        Atomics.notify(w, NOT_FULL, 1);
        return value;
      }
      const left = remaining(deadline);
      if (Atomics.load(w, CLOSED) !== 0 || left === 0) return undefined;
      yield sleepOn(w, NOT_EMPTY, seq, left);
    }
  }

  /**
   * Takes the queue's lock: a CAS, a short spin (holders keep it for a few loads and stores, so
   * even tryPut / tryGet, with deadline 0, get it under contention), then the mutex's sleep.
   */
  private *locking(deadline: number): WaitLoop<boolean> {
    const w = this.words;
    for (let i = 0; i <= SPINS; i++) {
      if (Atomics.compareExchange(w, LOCK, 0, 1) === 0) return true;
    }
    return yield* lockLoop(w, deadline);
  }

  private unlock(): void {
    const w = this.words;
    if (Atomics.sub(w, LOCK, 1) !== 1) {
      Atomics.store(w, LOCK, 0);
      Atomics.notify(w, LOCK, 1);
    }
  }

  /** Checks an item (before any wait) and returns what writes it at a ring index. */
  private writer(item: QueueItem): (at: number) => void {
    const type = this.type;
    if (type) {
      type.check(item, "item");
      return (at) => type.write(this.view, at * 8, item as RecordOf<F>);
    }
    const rec = this.recordLength;
    if (rec === 1) {
      if (typeof item !== "number") throw invalid("item", item, "a number (the queue holds numbers)");
      // any NaN is stored as the one canonical NaN, so that no item reads as a kernel's closed mark
      const x = Number.isNaN(item) ? NaN : item;
      return (at) => { this.ring[at] = x; };
    }
    const ok = item !== null && typeof item === "object" && (item as ArrayLike<number>).length === rec;
    const values = ok ? Array.from(item as ArrayLike<unknown>) : [];
    if (!ok || !values.every((v) => typeof v === "number")) {
      throw invalid("item", item, `an array of ${rec} numbers (the queue's recordLength)`);
    }
    return (at) => { for (let k = 0; k < rec; k++) this.ring[at + k] = Number.isNaN(values[k]) ? NaN : values[k] as number; };
  }

  private itemReader(): (at: number) => number | RecordOf<F> {
    const type = this.type;
    if (type) return (at) => type.read(this.view, at * 8);
    if (this.recordLength !== 1) throw new Error(`the queue holds records of ${this.recordLength} numbers: use getRecord (a pipe's end: recvRecord)`);
    return (at) => this.ring[at]!;
  }

  private copyOut(at: number, into: Float64Array): Float64Array {
    for (let k = 0; k < into.length && k < this.recordLength; k++) into[k] = this.ring[at + k]!;
    return into;
  }

  private views(): [Float64Array, DataView] {
    const values = Atomics.load(this.words, CAPACITY) * Atomics.load(this.words, RECORD);
    const at = this.words.byteOffset + QUEUE_HEADER_WORDS * 4;
    return [new Float64Array(this.words.buffer, at, values), new DataView(this.words.buffer, at, values * 8)];
  }

  private recordBuffer(out: Float64Array | undefined): Float64Array {
    const rec = this.recordLength;
    if (out === undefined) return new Float64Array(rec);
    if (!(out instanceof Float64Array) || out.length < rec) throw invalid("out", out, `a Float64Array of at least ${rec} numbers`);
    return out;
  }
}

/**
 * A Queue that counts unfinished tasks, as Python's JoinableQueue: every put adds one, taskDone
 * removes one, join waits until none is left. Kernels: queueTaskDone / queueJoin.
 */
export class JoinableQueue<F extends Fields = Fields> extends Queue<F> {
  /** Tasks put and not yet marked done. */
  get unfinished(): number {
    return Atomics.load(this.words, UNFINISHED);
  }

  /** Marks one task taken from the queue as done. Throws if more are done than were put. */
  taskDone(): void {
    const w = this.words;
    const was = Atomics.sub(w, UNFINISHED, 1);
    if (was <= 0) {
      Atomics.add(w, UNFINISHED, 1);
      throw new Error("taskDone() called more times than there were items put");
    }
    if (was === 1) Atomics.notify(w, UNFINISHED);
  }

  /** Waits (blocking the thread) until every item put is done, at most `timeoutMs`; whether all are. */
  join(timeoutMs = Infinity): boolean {
    return block(this.joinLoop(deadlineOf(timeoutMs)));
  }

  async joinAsync(timeoutMs = Infinity): Promise<boolean> {
    return drive(this.joinLoop(deadlineOf(timeoutMs)));
  }

  private *joinLoop(deadline: number): WaitLoop<boolean> {
    for (;;) {
      const u = Atomics.load(this.words, UNFINISHED);
      if (u === 0) return true;
      const left = remaining(deadline);
      if (left === 0) return false;
      yield sleepOn(this.words, UNFINISHED, u, left);
    }
  }
}

function checkSizes(capacity: number, recordLength: number): number {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) throw invalid("capacity", capacity, `an integer from 1 to ${MAX_CAPACITY}`);
  if (!Number.isInteger(recordLength) || recordLength < 1 || recordLength > 1024) throw invalid("recordLength", recordLength, "an integer from 1 to 1024");
  return recordLength;
}
