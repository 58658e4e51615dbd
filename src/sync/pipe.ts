/**
 * Pipe(): two connected ends, as Python's multiprocessing.Pipe — each end sends on one queue
 * and receives from the other (layout: ConnectionLayout in assembly/sync-layout.ts; from
 * kernels: pipeSend / pipeRecv / pipePoll / pipeClose with an end's byte offset).
 *
 *   const [a, b] = Pipe.create(pool);            // duplex; { duplex: false }: a receives, b sends
 *   b.send(42); a.recv();                        // worker threads (blocking)
 *   await a.sendAsync(1); await b.recvAsync();   // the main thread
 *
 * Items are numbers, fixed-length records or named records (the Queue's options); records of
 * `recordLength` numbers arrive through recvRecord. recv returns undefined once the other end
 * has closed and nothing is left (Python raises EOFError).
 */
import { BLOCK_WORDS, ConnectionWord, QueueWord, queueWords } from "./layout.js";
import { Queue, type QueueItem, type QueueOptions } from "./queue.js";
import { checkWords, allocWords, type Allocator } from "./wait.js";
import type { Fields, RecordOf } from "./record.js";

const { send: SEND, recv: RECV } = ConnectionWord;

export interface PipeOptions<F extends Fields = Fields> extends QueueOptions<F> {
  /** Both ends send and receive (default). false: the first end only receives, the second only sends. */
  duplex?: boolean;
  /** Items each direction holds before a send waits. Default 16. */
  capacity?: number;
}

export const Pipe = {
  /** Two connected ends, in the pool's memory. */
  create<F extends Fields = Fields>(pool: Allocator, options: PipeOptions<F> = {}): [Connection<F>, Connection<F>] {
    const capacity = options.capacity ?? 16;
    const ab = Queue.create(pool, capacity, options);
    const ba = options.duplex === false ? undefined : Queue.create(pool, capacity, options);
    const end = (send: Queue<F> | undefined, recv: Queue<F> | undefined): Connection<F> => {
      const words = allocWords(pool, BLOCK_WORDS, "Pipe");
      Atomics.store(words, SEND, send?.byteOffset ?? 0);
      Atomics.store(words, RECV, recv?.byteOffset ?? 0);
      return new Connection(words, options);
    };
    return [end(ba, ab), end(ab, ba)];
  },
};

/** One end of a pipe. */
export class Connection<F extends Fields = Fields> {
  private readonly out: Queue<F> | undefined;
  private readonly in: Queue<F> | undefined;

  /** The end in `words` (another thread's `new Connection(words, options)` is the same end). */
  constructor(readonly words: Int32Array, options: QueueOptions<F> = {}) {
    checkWords(words, 2, "pipe end");
    const queue = (ptr: number): Queue<F> | undefined => {
      if (ptr === 0) return undefined;
      const header = new Int32Array(words.buffer, ptr, BLOCK_WORDS);
      return new Queue(new Int32Array(words.buffer, ptr, queueWords(Atomics.load(header, QueueWord.capacity), Atomics.load(header, QueueWord.record))), options);
    };
    this.out = queue(Atomics.load(words, SEND));
    this.in = queue(Atomics.load(words, RECV));
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** Sends an item, waiting while the other end has `capacity` unread; false if the pipe is closed. */
  send(item: QueueItem, timeoutMs?: number): boolean {
    return this.sender().put(item, timeoutMs);
  }

  // async: a wrong end (or a bad item) rejects the promise, as Queue's async calls do, never throws
  async sendAsync(item: QueueItem, timeoutMs?: number): Promise<boolean> {
    return this.sender().putAsync(item, timeoutMs);
  }

  /** Receives the next item, waiting up to `timeoutMs`; undefined once closed and drained (or on timeout). */
  recv(timeoutMs?: number): number | RecordOf<F> | undefined {
    return this.receiver().get(timeoutMs);
  }

  async recvAsync(timeoutMs?: number): Promise<number | RecordOf<F> | undefined> {
    return this.receiver().getAsync(timeoutMs);
  }

  /**
   * Receives the next record of a pipe of `recordLength` numbers into `out` (default: a new
   * Float64Array), as Python's `recv_bytes_into`; undefined once closed and drained (or on timeout).
   */
  recvRecord(out?: Float64Array, timeoutMs?: number): Float64Array | undefined {
    return this.receiver().getRecord(out, timeoutMs);
  }

  async recvRecordAsync(out?: Float64Array, timeoutMs?: number): Promise<Float64Array | undefined> {
    return this.receiver().getRecordAsync(out, timeoutMs);
  }

  /** Whether an item is waiting to be received, now (timeout 0) or within `timeoutMs`. */
  poll(timeoutMs = 0): boolean {
    return this.receiver().waitReadable(timeoutMs);
  }

  async pollAsync(timeoutMs = 0): Promise<boolean> {
    return this.receiver().waitReadableAsync(timeoutMs);
  }

  /** Closes this end: the other end's receives drain what was sent, then get undefined; its sends fail. */
  close(): void {
    this.out?.close();
    this.in?.close();
  }

  private sender(): Queue<F> {
    if (!this.out) throw new Error("this end of a one-way pipe only receives");
    return this.out;
  }

  private receiver(): Queue<F> {
    if (!this.in) throw new Error("this end of a one-way pipe only sends");
    return this.in;
  }
}
