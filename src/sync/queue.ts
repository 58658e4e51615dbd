/**
 * A bounded multi-producer multi-consumer queue of numbers or fixed-size records of numbers,
 * in shared memory (layout and protocol: src/sync/layout.ts; from kernels: assembly/sync.ts
 * queuePut / queueGet / queueClose). put waits while the queue is full (backpressure), get
 * waits while it is empty, and close wakes everyone: puts then fail, gets drain what is left
 * and then report the queue closed.
 *
 *   const q = Queue.create(pool, 8);                        // 8 numbers
 *   const r = Queue.create(pool, 8, { recordLength: 3 });   // 8 records of 3 numbers
 *   // main thread: await q.putAsync(x), await q.getAsync(); worker threads: q.put(x), q.get()
 *   // kernels: queuePut(q.byteOffset, x), queueGet(q.byteOffset)
 *
 * A get returns undefined when it got nothing: the queue is closed and empty, or the wait timed
 * out (tell them apart with `closed`). A put returns false when the queue is closed or the wait
 * timed out.
 */
import { invalid } from "../errors.js";
import { QUEUE_HEADER_WORDS, QueueWord, queueWords } from "./layout.js";
import { Mutex } from "./mutex.js";
import { checkWords, deadlineOf, remaining, sleep, sleepAsync } from "./wait.js";

const { HEAD, COUNT, CAPACITY, RECORD, CLOSED, NOT_EMPTY, NOT_FULL } = QueueWord;
const MAX_CAPACITY = 1 << 24;

export interface QueueOptions {
  /** Numbers per record. Default 1. */
  recordLength?: number;
}

export class Queue {
  /** A new, empty queue in the pool's memory. Free it with pool.free(queue.words). */
  static create(pool: { alloc(type: Int32ArrayConstructor, length: number): Int32Array }, capacity: number, options: QueueOptions = {}): Queue {
    const recordLength = checkSizes(capacity, options.recordLength ?? 1);
    return new Queue(pool.alloc(Int32Array, queueWords(capacity, recordLength))).init(capacity, recordLength);
  }

  private readonly lock: Mutex;
  private ring: Float64Array;
  /** Output of the synchronous gets (nothing can run between their dequeue and their read). */
  private readonly scratch = new Float64Array(1);

  /**
   * The queue in `words` (queueWords(capacity, recordLength) Int32 words of shared memory).
   * Over words a queue already uses (in another thread), it is ready at once; fresh words need init.
   */
  constructor(readonly words: Int32Array) {
    checkWords(words, QUEUE_HEADER_WORDS, "queue");
    this.lock = new Mutex(words.subarray(QueueWord.LOCK, QueueWord.LOCK + 1));
    this.ring = this.ringView();
  }

  /** Sets the queue up, empty and open. Nobody may be using it. */
  init(capacity: number, recordLength = 1): this {
    checkSizes(capacity, recordLength);
    const needed = queueWords(capacity, recordLength);
    if (this.words.length < needed) throw invalid("capacity", capacity, `at most what the ${this.words.length} words hold (${needed} are needed)`);
    const w = this.words;
    for (const i of [QueueWord.LOCK, HEAD, COUNT, CLOSED, NOT_EMPTY, NOT_FULL]) Atomics.store(w, i, 0);
    Atomics.store(w, CAPACITY, capacity);
    Atomics.store(w, RECORD, recordLength);
    this.ring = this.ringView();
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

  /** Adds a record (a number, or recordLength numbers) if there is room; never waits. */
  tryPut(record: number | ArrayLike<number>): boolean {
    this.checkRecord(record);
    this.lock.lock();
    try {
      if (Atomics.load(this.words, CLOSED) !== 0 || Atomics.load(this.words, COUNT) === this.capacity) return false;
      this.enqueue(record);
      return true;
    } finally {
      this.lock.unlock();
    }
  }

  /** Adds a record, waiting (blocking the thread) up to `timeoutMs` for room. For worker threads. */
  put(record: number | ArrayLike<number>, timeoutMs = Infinity): boolean {
    this.checkRecord(record);
    const deadline = deadlineOf(timeoutMs);
    const w = this.words;
    this.lock.lock();
    try {
      for (;;) {
        if (Atomics.load(w, CLOSED) !== 0) return false;
        if (Atomics.load(w, COUNT) < this.capacity) {
          this.enqueue(record);
          return true;
        }
        const seq = Atomics.load(w, NOT_FULL);
        const left = remaining(deadline);
        if (left === 0) return false;
        this.lock.unlock();
        sleep(w, NOT_FULL, seq, left);
        this.lock.lock();
      }
    } finally {
      this.lock.unlock();
    }
  }

  /** As put, without blocking the calling thread. */
  async putAsync(record: number | ArrayLike<number>, timeoutMs = Infinity): Promise<boolean> {
    this.checkRecord(record);
    const deadline = deadlineOf(timeoutMs);
    const w = this.words;
    await this.lock.lockAsync();
    try {
      for (;;) {
        if (Atomics.load(w, CLOSED) !== 0) return false;
        if (Atomics.load(w, COUNT) < this.capacity) {
          this.enqueue(record);
          return true;
        }
        const seq = Atomics.load(w, NOT_FULL);
        const left = remaining(deadline);
        if (left === 0) return false;
        this.lock.unlock();
        await sleepAsync(w, NOT_FULL, seq, left);
        await this.lock.lockAsync();
      }
    } finally {
      this.lock.unlock();
    }
  }

  /** Takes the oldest number if there is one; never waits. For queues of single numbers. */
  tryGet(): number | undefined {
    this.checkNumbers();
    return this.tryTake(undefined) ? this.scratch[0] : undefined;
  }

  /** Takes the oldest number, waiting (blocking the thread) up to `timeoutMs`. For worker threads. */
  get(timeoutMs = Infinity): number | undefined {
    this.checkNumbers();
    return this.take(undefined, timeoutMs) ? this.scratch[0] : undefined;
  }

  /** As get, without blocking the calling thread. */
  async getAsync(timeoutMs = Infinity): Promise<number | undefined> {
    this.checkNumbers();
    // an output of its own: another getAsync may run while this one awaits
    const out = new Float64Array(1);
    return (await this.takeAsync(out, timeoutMs)) ? out[0] : undefined;
  }

  /** Takes the oldest record into `out` (default: a new Float64Array), waiting up to `timeoutMs`. */
  getRecord(out?: Float64Array, timeoutMs = Infinity): Float64Array | undefined {
    const into = this.recordBuffer(out);
    return this.take(into, timeoutMs) ? into : undefined;
  }

  /** As getRecord, without blocking the calling thread. */
  async getRecordAsync(out?: Float64Array, timeoutMs = Infinity): Promise<Float64Array | undefined> {
    const into = this.recordBuffer(out);
    return (await this.takeAsync(into, timeoutMs)) ? into : undefined;
  }

  private tryTake(out: Float64Array | undefined): boolean {
    this.lock.lock();
    try {
      if (Atomics.load(this.words, COUNT) === 0) return false;
      this.dequeue(out ?? this.scratch);
      return true;
    } finally {
      this.lock.unlock();
    }
  }

  private take(out: Float64Array | undefined, timeoutMs: number): boolean {
    const deadline = deadlineOf(timeoutMs);
    const w = this.words;
    this.lock.lock();
    try {
      for (;;) {
        if (Atomics.load(w, COUNT) > 0) {
          this.dequeue(out ?? this.scratch);
          return true;
        }
        if (Atomics.load(w, CLOSED) !== 0) return false;
        const seq = Atomics.load(w, NOT_EMPTY);
        const left = remaining(deadline);
        if (left === 0) return false;
        this.lock.unlock();
        sleep(w, NOT_EMPTY, seq, left);
        this.lock.lock();
      }
    } finally {
      this.lock.unlock();
    }
  }

  private async takeAsync(out: Float64Array, timeoutMs: number): Promise<boolean> {
    const deadline = deadlineOf(timeoutMs);
    const w = this.words;
    await this.lock.lockAsync();
    try {
      for (;;) {
        if (Atomics.load(w, COUNT) > 0) {
          this.dequeue(out);
          return true;
        }
        if (Atomics.load(w, CLOSED) !== 0) return false;
        const seq = Atomics.load(w, NOT_EMPTY);
        const left = remaining(deadline);
        if (left === 0) return false;
        this.lock.unlock();
        await sleepAsync(w, NOT_EMPTY, seq, left);
        await this.lock.lockAsync();
      }
    } finally {
      this.lock.unlock();
    }
  }

  /** Under the lock, with room: writes the record after the last one. */
  private enqueue(record: number | ArrayLike<number>): void {
    const w = this.words;
    const cap = this.capacity;
    const rec = this.recordLength;
    const count = Atomics.load(w, COUNT);
    const at = ((Atomics.load(w, HEAD) + count) % cap) * rec;
    if (typeof record === "number") this.ring[at] = record;
    else for (let k = 0; k < rec; k++) this.ring[at + k] = record[k]!;
    Atomics.store(w, COUNT, count + 1);
    Atomics.add(w, NOT_EMPTY, 1);
    Atomics.notify(w, NOT_EMPTY, 1);
  }

  /** Under the lock, with a record there: moves the oldest record into `out`. */
  private dequeue(out: Float64Array): void {
    const w = this.words;
    const cap = this.capacity;
    const rec = this.recordLength;
    const head = Atomics.load(w, HEAD);
    const at = head * rec;
    for (let k = 0; k < rec; k++) out[k] = this.ring[at + k]!;
    Atomics.store(w, HEAD, (head + 1) % cap);
    Atomics.sub(w, COUNT, 1);
    Atomics.add(w, NOT_FULL, 1);
    Atomics.notify(w, NOT_FULL, 1);
  }

  private ringView(): Float64Array {
    const values = Atomics.load(this.words, CAPACITY) * Atomics.load(this.words, RECORD);
    return new Float64Array(this.words.buffer, this.words.byteOffset + QUEUE_HEADER_WORDS * 4, values);
  }

  private checkRecord(record: number | ArrayLike<number>): void {
    const rec = this.recordLength;
    if (typeof record === "number" ? rec !== 1 : record?.length !== rec) {
      throw invalid("record", record, rec === 1 ? "a number" : `an array of ${rec} numbers (the queue's recordLength)`);
    }
  }

  private checkNumbers(): void {
    if (this.recordLength !== 1) throw new Error(`the queue holds records of ${this.recordLength} numbers: use getRecord`);
  }

  private recordBuffer(out: Float64Array | undefined): Float64Array {
    const rec = this.recordLength;
    if (out === undefined) return new Float64Array(rec);
    if (!(out instanceof Float64Array) || out.length < rec) throw invalid("out", out, `a Float64Array of at least ${rec} numbers`);
    return out;
  }
}

function checkSizes(capacity: number, recordLength: number): number {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) throw invalid("capacity", capacity, `an integer from 1 to ${MAX_CAPACITY}`);
  if (!Number.isInteger(recordLength) || recordLength < 1 || recordLength > 1024) throw invalid("recordLength", recordLength, "an integer from 1 to 1024");
  return recordLength;
}
