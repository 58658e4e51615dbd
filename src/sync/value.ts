/**
 * Value and SharedArray: typed numbers in shared memory with an optional lock, in the spirit of
 * Python's multiprocessing.Value('d', 0.0, lock=True) and Array. The block is an RLock (one
 * cache line) followed by the data, so a kernel gets both from one pointer: the lock at `ptr`,
 * the data at `ptr + 64` (assembly/sync.ts: valueData).
 *
 *   const v = Value.create(pool, "f64", 0);     // v.value is read and written atomically
 *   { using _ = v.getLock().hold(); v.value += 1; }   // a read-modify-write needs the lock
 *   const a = SharedArray.create(pool, "i32", 10);    // a.array: an Int32Array of 10
 *
 * Unlike Python, `value` never takes the lock: a single read or write is atomic by itself (an
 * f64 through its 64-bit pattern), and the main thread may not block. `lock: false` gives no lock.
 */
import { invalid } from "../errors.js";
import { BLOCK_WORDS } from "./layout.js";
import type { Mutex } from "./mutex.js";
import { RLock } from "./rlock.js";
import type { FieldType } from "./record.js";
import { allocWords, type Allocator } from "./wait.js";

const ARRAYS = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array,
  i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array,
} as const;
type ArrayOf<T extends FieldType> = InstanceType<(typeof ARRAYS)[T]>;

export interface ValueOptions {
  /** true (default): a new RLock; false: none; or a Mutex or RLock of your own. */
  lock?: boolean | Mutex | RLock;
}

/** The block (lock, then the data) and the lock to hand out. */
function allocate(pool: Allocator, type: FieldType, length: number, options: ValueOptions): { words: Int32Array; lock: Mutex | RLock | null } {
  if (!Object.hasOwn(ARRAYS, type)) throw invalid("type", type, `one of ${Object.keys(ARRAYS).join(", ")}`);
  const lockOption = options.lock ?? true;
  if (typeof lockOption !== "boolean" && !(lockOption !== null && typeof lockOption === "object" && "lockAsync" in lockOption)) {
    throw invalid("lock", lockOption, "true, false, a Mutex or an RLock");
  }
  const words = allocWords(pool, BLOCK_WORDS + Math.ceil((length * ARRAYS[type].BYTES_PER_ELEMENT) / 4), "Value");
  const lock = lockOption === true ? new RLock(words.subarray(0, BLOCK_WORDS)) : lockOption === false ? null : lockOption;
  return { words, lock };
}

export class SharedArray<T extends FieldType = FieldType> {
  /** A new array of `type` with `lengthOrValues` elements (zeros) or those values. */
  static create<T extends FieldType>(pool: Allocator, type: T, lengthOrValues: number | ArrayLike<number>, options: ValueOptions = {}): SharedArray<T> {
    const length = typeof lengthOrValues === "number" ? lengthOrValues : lengthOrValues?.length;
    if (!Number.isInteger(length) || length < 0) throw invalid("lengthOrValues", lengthOrValues, "a length (an integer, 0 or more) or an array of numbers");
    const { words, lock } = allocate(pool, type, length, options);
    const array = new SharedArray(words, type, length, lock);
    if (typeof lengthOrValues !== "number") array.array.set(lengthOrValues);
    return array;
  }

  /** The elements: a typed array on the shared memory. */
  readonly array: ArrayOf<T>;

  /** Over an existing block (another thread): `lock` as it was made (default: the block's RLock; null: none). */
  constructor(readonly words: Int32Array, readonly type: T, length: number, private readonly lock: Mutex | RLock | null = new RLock(words.subarray(0, BLOCK_WORDS))) {
    this.array = new ARRAYS[type](words.buffer as ArrayBuffer, words.byteOffset + BLOCK_WORDS * 4, length) as ArrayOf<T>;
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  get length(): number {
    return this.array.length;
  }

  /** The lock that guards read-modify-writes. Throws if made with `lock: false`. */
  getLock(): Mutex | RLock {
    if (!this.lock) throw new Error("made with lock: false, so it has no lock");
    return this.lock;
  }
}

export class Value<T extends FieldType = FieldType> {
  static create<T extends FieldType>(pool: Allocator, type: T, initial = 0, options: ValueOptions = {}): Value<T> {
    if (typeof initial !== "number") throw invalid("initial", initial, "a number");
    const { words, lock } = allocate(pool, type, 1, options);
    const v = new Value(words, type, lock);
    v.value = initial;
    return v;
  }

  private readonly cell: SharedArray<T>;
  /** 64-bit view for atomic f64 reads and writes, 32-bit for f32. */
  private readonly bits: BigInt64Array | Int32Array | undefined;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  /** Over an existing block (another thread): `lock` as it was made (default: the block's RLock; null: none). */
  constructor(readonly words: Int32Array, readonly type: T, lock: Mutex | RLock | null = new RLock(words.subarray(0, BLOCK_WORDS))) {
    this.cell = new SharedArray(words, type, 1, lock);
    const at = words.byteOffset + BLOCK_WORDS * 4;
    this.bits = type === "f64" ? new BigInt64Array(words.buffer, at, 1) : type === "f32" ? new Int32Array(words.buffer, at, 1) : undefined;
  }

  get byteOffset(): number {
    return this.words.byteOffset;
  }

  /** The value, read atomically. */
  get value(): number {
    const bits = this.bits;
    if (bits instanceof BigInt64Array) {
      this.scratch.setBigInt64(0, Atomics.load(bits, 0));
      return this.scratch.getFloat64(0);
    }
    if (bits) {
      this.scratch.setInt32(0, Atomics.load(bits, 0));
      return this.scratch.getFloat32(0);
    }
    return Atomics.load(this.cell.array as Exclude<ArrayOf<T>, Float64Array | Float32Array>, 0);
  }

  /** Writes the value atomically (converted to the type, as a typed array would). */
  set value(x: number) {
    const bits = this.bits;
    if (bits instanceof BigInt64Array) {
      this.scratch.setFloat64(0, x);
      Atomics.store(bits, 0, this.scratch.getBigInt64(0));
    } else if (bits) {
      this.scratch.setFloat32(0, x);
      Atomics.store(bits, 0, this.scratch.getInt32(0));
    } else {
      Atomics.store(this.cell.array as Exclude<ArrayOf<T>, Float64Array | Float32Array>, 0, x);
    }
  }

  getLock(): Mutex | RLock {
    return this.cell.getLock();
  }
}
