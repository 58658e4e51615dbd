/**
 * The arena: hands out aligned regions of one shared WebAssembly.Memory as typed-array views.
 *
 * Layout of the memory:
 *   [0, RESERVED_BYTES)   never handed out: address 0 stays null, and the kernels' module has
 *                         no data segments, so nothing else lives here;
 *   [RESERVED_BYTES, …)   regions, first-fit from a sorted free list; the memory grows (by
 *                         whole 64 KiB pages) when no free range fits, up to `maxBytes`.
 * Memory never shrinks (WebAssembly cannot), and growing a shared memory never detaches
 * existing views, so a view stays valid until it is freed.
 * Only the thread that owns the pool allocates; workers read and write regions in place.
 */
import { MemoryLimitError, invalid } from "../errors.js";

export const PAGE_BYTES = 65536;
export const RESERVED_BYTES = PAGE_BYTES;
/** wasm32 cannot address more. */
export const MAX_MEMORY_BYTES = 65536 * PAGE_BYTES;

export type TypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array
  | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export interface TypedArrayConstructor<T extends TypedArray> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

interface Range { offset: number; bytes: number }

export class SharedArena {
  readonly memory: WebAssembly.Memory;
  readonly maxBytes: number;
  /** Free ranges sorted by offset, never adjacent (merged on free). */
  private readonly freeList: Range[] = [];
  /** Live regions by byte offset. */
  private readonly live = new Map<number, number>();
  /** Every buffer object the memory has had (see owns). */
  private readonly buffers = new WeakSet<object>();

  constructor(options: { memory?: WebAssembly.Memory; maxBytes?: number; initialBytes?: number } = {}) {
    const maxBytes = options.maxBytes ?? MAX_MEMORY_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 2 * PAGE_BYTES || maxBytes > MAX_MEMORY_BYTES) {
      throw invalid("maxMemory", maxBytes, `an integer number of bytes from ${2 * PAGE_BYTES} (128 KiB) to ${MAX_MEMORY_BYTES} (4 GiB)`);
    }
    this.maxBytes = Math.floor(maxBytes / PAGE_BYTES) * PAGE_BYTES;
    const initialPages = Math.ceil(Math.max(options.initialBytes ?? 0, 2 * PAGE_BYTES) / PAGE_BYTES);
    this.memory = options.memory ?? new WebAssembly.Memory({
      initial: initialPages,
      maximum: this.maxBytes / PAGE_BYTES,
      shared: true,
    });
    this.buffers.add(this.memory.buffer);
    const size = this.memory.buffer.byteLength;
    if (size > RESERVED_BYTES) this.freeList.push({ offset: RESERVED_BYTES, bytes: size - RESERVED_BYTES });
  }

  /** Current size of the memory in bytes. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes in live regions. */
  get allocatedBytes(): number {
    let total = 0;
    for (const bytes of this.live.values()) total += bytes;
    return total;
  }

  /** A view of `length` elements, zero-filled, its first byte aligned to `align` (default 64, a cache line). */
  alloc<T extends TypedArray>(type: TypedArrayConstructor<T>, length: number, align = 64, zero = true): T {
    if (!Number.isInteger(length) || length < 0) throw invalid("length", length, "a non-negative integer");
    if (!Number.isInteger(align) || align < type.BYTES_PER_ELEMENT || (align & (align - 1)) !== 0) {
      throw invalid("align", align, `a power of two of at least ${type.BYTES_PER_ELEMENT}`);
    }
    if (typeof type !== "function" || !TYPED_ARRAYS.has(type as unknown as object)) {
      throw invalid("type", type, "a typed array constructor (Int8Array … Float64Array, BigInt64Array, BigUint64Array)");
    }
    const bytes = Math.max(length * type.BYTES_PER_ELEMENT, 1);
    const offset = this.reserve(bytes, align, type.name);
    const view = new type(this.memory.buffer, offset, length);
    this.buffers.add(view.buffer);
    // through bytes: a BigInt64Array cannot be filled with the number 0
    if (zero) new Uint8Array(view.buffer, offset, length * type.BYTES_PER_ELEMENT).fill(0);
    return view;
  }

  /** Returns a region handed out by `alloc`. */
  free(view: TypedArray): void {
    if (!this.owns(view)) throw invalid("view", view, "a live view allocated by this pool (pool.alloc); this one is not a view of its memory");
    const offset = view.byteOffset;
    const bytes = this.live.get(offset);
    if (bytes === undefined) throw invalid("view", view, "a live view allocated by this pool (not freed before)");
    this.live.delete(offset);
    this.release({ offset, bytes });
  }

  /**
   * Whether `view` is a view of this arena's memory. Every SharedArrayBuffer object the memory
   * has had is remembered (growing the memory gives `memory.buffer` a new object over the same
   * bytes); a view of another memory, or of a plain SharedArrayBuffer, has none of them.
   */
  owns(view: unknown): view is TypedArray | DataView {
    if (!ArrayBuffer.isView(view)) return false;
    this.buffers.add(this.memory.buffer);
    return this.buffers.has(view.buffer) && view.byteOffset + view.byteLength <= this.byteLength;
  }

  /** Throws a MemoryLimitError unless `bytes` more could be allocated. */
  ensureCanAllocate(bytes: number, what?: string): void {
    let largestFree = 0;
    for (const r of this.freeList) largestFree = Math.max(largestFree, r.bytes);
    const tail = this.freeList.at(-1);
    const tailFree = tail && tail.offset + tail.bytes === this.byteLength ? tail.bytes : 0;
    const available = Math.max(largestFree, tailFree + this.maxBytes - this.byteLength);
    if (bytes + 64 > available) {
      throw new MemoryLimitError(bytes, this.maxBytes, what, { reservedBytes: RESERVED_BYTES, inUseBytes: this.allocatedBytes });
    }
  }

  private reserve(bytes: number, align: number, what: string): number {
    for (;;) {
      for (let i = 0; i < this.freeList.length; i++) {
        const r = this.freeList[i]!;
        const start = alignUp(r.offset, align);
        if (start + bytes <= r.offset + r.bytes) {
          this.freeList.splice(i, 1);
          if (start > r.offset) this.insertFree({ offset: r.offset, bytes: start - r.offset });
          const end = start + bytes;
          if (end < r.offset + r.bytes) this.insertFree({ offset: end, bytes: r.offset + r.bytes - end });
          this.live.set(start, bytes);
          return start;
        }
      }
      this.grow(bytes + align, what);
    }
  }

  /** Grows so that the free tail can hold `bytes`, doubling when that is cheaper in calls. */
  private grow(bytes: number, what: string): void {
    const size = this.byteLength;
    const tail = this.freeList.at(-1);
    const tailFree = tail && tail.offset + tail.bytes === size ? tail.bytes : 0;
    const needed = bytes - tailFree;
    if (size + needed > this.maxBytes) {
      throw new MemoryLimitError(bytes, this.maxBytes, `${what} region`, { reservedBytes: RESERVED_BYTES, inUseBytes: this.allocatedBytes });
    }
    const wantPages = Math.ceil(needed / PAGE_BYTES);
    const headroomPages = Math.min(Math.floor(size / PAGE_BYTES / 2), (this.maxBytes - size) / PAGE_BYTES - wantPages);
    this.memory.grow(wantPages + Math.max(0, headroomPages));
    this.buffers.add(this.memory.buffer);
    this.release({ offset: size, bytes: this.byteLength - size });
  }

  private release(range: Range): void {
    this.insertFree(range);
    // merge neighbours so that the list never holds two adjacent ranges
    for (let i = this.freeList.length - 1; i > 0; i--) {
      const a = this.freeList[i - 1]!;
      const b = this.freeList[i]!;
      if (a.offset + a.bytes === b.offset) {
        a.bytes += b.bytes;
        this.freeList.splice(i, 1);
      }
    }
  }

  private insertFree(range: Range): void {
    let i = 0;
    while (i < this.freeList.length && this.freeList[i]!.offset < range.offset) i++;
    this.freeList.splice(i, 0, range);
  }
}

const TYPED_ARRAYS = new Set<object>([Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array]);

/**
 * Whether `buffer` is a SharedArrayBuffer. Not `instanceof SharedArrayBuffer`: browsers hide that
 * global on pages that are not cross-origin isolated, where a shared WebAssembly.Memory still has
 * such a buffer.
 */
export function isSharedBuffer(buffer: unknown): buffer is SharedArrayBuffer {
  return Object.prototype.toString.call(buffer) === "[object SharedArrayBuffer]";
}

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}
