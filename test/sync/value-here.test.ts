/**
 * Value and SharedArray in the test's own thread (src/sync/value.ts): the block's layout (an
 * RLock of BLOCK_WORDS words, then the data), every element type's atomic read and write checked
 * through views of the memory made here, the lock option, and the refusals. The other tests use
 * a Value from workers and kernels, which a mutation-testing run does not see (docs/testing.md).
 */
import { describe, expect, it } from "vitest";
import { SharedArena } from "../../dist/index.js";
import { BLOCK_WORDS, Mutex, RLock, SharedArray, Value } from "../../dist/sync-entry.js";
import { expectInvalid } from "../helpers/thrown.js";

const arena = new SharedArena({ maxBytes: 1 << 20 });
/** An allocator that notes each request (words asked for), handing out the arena's memory. */
const asked: number[] = [];
const pool = { alloc: (t: Int32ArrayConstructor, n: number) => (asked.push(n), arena.alloc(t, n)) };

/** The data word(s) of a block, through a view of the memory made here (where a kernel reads them: ptr + 64). */
const dataView = <A extends Int32Array | Float64Array | Float32Array | Uint8Array>(
  Kind: new (b: ArrayBuffer, at: number, n: number) => A, words: Int32Array, n = 1,
): A => new Kind(words.buffer as ArrayBuffer, words.byteOffset + BLOCK_WORDS * 4, n);

describe("the block: a lock of BLOCK_WORDS words, then the data in whole words", () => {
  it("asks the allocator for 16 words plus the data rounded up to words, for each element type", () => {
    const cases: Array<[Parameters<typeof SharedArray.create>[1], number, number]> = [
      // type, elements, data bytes (elements × bytes per element)
      ["f64", 3, 24], ["f32", 3, 12], ["i32", 5, 20], ["u32", 1, 4], ["i16", 3, 6], ["u16", 4, 8], ["i8", 5, 5], ["u8", 1, 1], ["u8", 0, 0],
    ];
    expect(BLOCK_WORDS).toBe(16); // one 64-byte cache line
    for (const [type, n, bytes] of cases) {
      asked.length = 0;
      const a = SharedArray.create(pool, type, n);
      expect(asked, `${type} × ${n}`).toEqual([16 + Math.ceil(bytes / 4)]);
      expect(a.length).toBe(n);
      expect(a.array.length).toBe(n);
      expect(a.byteOffset).toBe(a.words.byteOffset);
      expect(a.array.byteOffset).toBe(a.words.byteOffset + 64);
    }
    asked.length = 0;
    Value.create(pool, "f64", 0);
    expect(asked).toEqual([16 + 2]);
  });

  it("two arrays from one arena do not overlap: filling one leaves the next one's lock and data as they were", () => {
    // 9 f64 = 72 bytes of data: past the 64-byte slack of the arena's 64-byte alignment, so a block
    // sized too small would reach into the next one
    const a = SharedArray.create(pool, "f64", 9, { lock: false });
    const b = SharedArray.create(pool, "i32", [7, 8, 9]);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 64 + 72);
    a.array.fill(-1.5);
    expect([...b.array]).toEqual([7, 8, 9]);
    expect([...b.words.subarray(0, 16)]).toEqual(new Array(16).fill(0)); // b's RLock: unowned
    expect(b.getLock().lock(0)).toBe(true);
    b.getLock().unlock();
  });
});

describe("Value: an atomic read and write of each type, as a typed array converts", () => {
  it("f64: every bit of the double (0.1 + 0.2, -0, NaN, the largest double), seen through a Float64Array of the block", () => {
    const v = Value.create(pool, "f64", 0.5);
    const view = dataView(Float64Array, v.words);
    expect(view[0]).toBe(0.5);
    expect(v.value).toBe(0.5);
    for (const x of [0.1 + 0.2, -0, Number.NaN, Number.MAX_VALUE, -Number.MIN_VALUE, 2 ** 53 + 2]) {
      v.value = x;
      expect(Object.is(view[0], x), String(x)).toBe(true);
      expect(Object.is(v.value, x), String(x)).toBe(true);
    }
    view[0] = -123.25; // written elsewhere (a kernel): read back here
    expect(v.value).toBe(-123.25);
    expect(v.byteOffset).toBe(v.words.byteOffset);
  });

  it("f32: rounded to single precision, stored as a float32 the block's Float32Array reads", () => {
    const v = Value.create(pool, "f32", 0.1);
    const view = dataView(Float32Array, v.words);
    const f32 = new Float32Array(1);
    f32[0] = 0.1; // the plain reference: a Float32Array's own rounding
    expect(view[0]).toBe(f32[0]);
    expect(v.value).toBe(f32[0]);
    expect(v.value).not.toBe(0.1);
    v.value = 3.5; // exact in f32
    expect(view[0]).toBe(3.5);
    expect(v.value).toBe(3.5);
    v.value = -0;
    expect(Object.is(v.value, -0)).toBe(true);
    view[0] = 1e30; // written elsewhere
    f32[0] = 1e30;
    expect(v.value).toBe(f32[0]);
  });

  it("integers: truncated and wrapped to the type (i32, u32, i16, u16, i8, u8)", () => {
    const cases: Array<[Parameters<typeof Value.create>[1], number, number]> = [
      ["i32", 2 ** 31, -(2 ** 31)], ["i32", -7.9, -7], ["u32", -1, 2 ** 32 - 1], ["i16", 40_000, 40_000 - 65_536],
      ["u16", 70_000, 70_000 - 65_536], ["i8", 200, 200 - 256], ["u8", 300, 300 - 256], ["u8", 2.99, 2],
    ];
    const views = { i32: Int32Array, u32: Uint32Array, i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array } as const;
    for (const [type, x, expected] of cases) {
      const v = Value.create(pool, type, x);
      const view = dataView(views[type as keyof typeof views] as unknown as new (b: ArrayBuffer, at: number, n: number) => Int32Array, v.words);
      expect(view[0], `${type} ${x}`).toBe(expected);
      expect(v.value, `${type} ${x}`).toBe(expected);
      v.value = 5;
      expect(view[0]).toBe(5);
      expect(v.value).toBe(5);
    }
  });

  it("defaults to 0, and refuses an initial value that is not a number", () => {
    expect(Value.create(pool, "i32").value).toBe(0);
    expect(dataView(Int32Array, Value.create(pool, "i32").words)[0]).toBe(0);
    expectInvalid(() => Value.create(pool, "i32", "3" as unknown as number), "initial", 'initial must be a number; got "3"');
    expectInvalid(() => Value.create(pool, "f64", 1n as unknown as number), "initial", "initial must be a number; got 1n");
  });

  it("a Value made over an existing block (as another thread does) reads what the first one wrote", () => {
    const v = Value.create(pool, "f64", 2.25);
    const again = new Value(v.words, "f64");
    expect(again.value).toBe(2.25);
    again.value = -8;
    expect(v.value).toBe(-8);
  });
});

describe("SharedArray", () => {
  it("from values: the elements converted to the type; from a length: zeros", () => {
    const a = SharedArray.create(pool, "i16", [1, -2, 40_000, 3.7]);
    expect([...a.array]).toEqual([1, -2, 40_000 - 65_536, 3]);
    expect([...dataView(Int16Array as unknown as new (b: ArrayBuffer, at: number, n: number) => Int32Array, a.words, 4)]).toEqual([1, -2, 40_000 - 65_536, 3]);
    expect(a.array).toBeInstanceOf(Int16Array);
    const f = SharedArray.create(pool, "f64", new Float32Array([0.5, 0.25]));
    expect([...f.array]).toEqual([0.5, 0.25]);
    const z = SharedArray.create(pool, "u8", 6);
    expect([...z.array]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(z.length).toBe(6);
  });

  it("takes a length of 0 and an empty list", () => {
    expect(SharedArray.create(pool, "i32", 0).length).toBe(0);
    expect(SharedArray.create(pool, "f64", []).array.length).toBe(0);
  });

  it("refuses a length that is negative, fractional, NaN or missing (null), naming lengthOrValues", () => {
    const allowed = "a length (an integer, 0 or more) or an array of numbers";
    expectInvalid(() => SharedArray.create(pool, "i32", -1), "lengthOrValues", `lengthOrValues must be ${allowed}; got -1`);
    expectInvalid(() => SharedArray.create(pool, "i32", 2.5), "lengthOrValues", `lengthOrValues must be ${allowed}; got 2.5`);
    expectInvalid(() => SharedArray.create(pool, "i32", Number.NaN), "lengthOrValues", `lengthOrValues must be ${allowed}; got NaN`);
    expectInvalid(() => SharedArray.create(pool, "i32", null as unknown as number), "lengthOrValues", `lengthOrValues must be ${allowed}; got null`);
    expectInvalid(() => SharedArray.create(pool, "i32", { length: -3 }), "lengthOrValues", `lengthOrValues must be ${allowed}; got {"length":-3}`);
  });

  it("refuses a type it does not know, listing the ones it does", () => {
    expectInvalid(() => SharedArray.create(pool, "f16" as "f32", 2), "type", 'type must be one of f64, f32, i32, u32, i16, u16, i8, u8; got "f16"');
    expectInvalid(() => Value.create(pool, "toString" as "f32"), "type", 'type must be one of f64, f32, i32, u32, i16, u16, i8, u8; got "toString"');
  });
});

describe("the lock option", () => {
  it("by default (and with lock: true or null): an RLock on the block's first 16 words, taken and released here", () => {
    for (const options of [undefined, { lock: true }, { lock: null as unknown as boolean }, {}]) {
      const v = Value.create(pool, "f64", 1, options);
      const lock = v.getLock();
      expect(lock).toBeInstanceOf(RLock);
      const words = (lock as RLock).words;
      expect(words.byteOffset).toBe(v.byteOffset);
      expect(words.length).toBe(16);
      expect(lock.lock(0)).toBe(true);
      expect((lock as RLock).depth).toBe(1);
      expect(Atomics.load(v.words, 0)).not.toBe(0); // the owner is recorded in the block itself
      lock.unlock();
      const a = SharedArray.create(pool, "u8", 3, options);
      expect(a.getLock()).toBeInstanceOf(RLock);
      expect((a.getLock() as RLock).words.byteOffset).toBe(a.byteOffset);
    }
  });

  it("lock: false gives none: getLock() throws", () => {
    const v = Value.create(pool, "i32", 1, { lock: false });
    expect(() => v.getLock()).toThrow(Error);
    expect(() => v.getLock()).toThrow("made with lock: false, so it has no lock");
    const a = SharedArray.create(pool, "i32", 1, { lock: false });
    expect(() => a.getLock()).toThrow("made with lock: false, so it has no lock");
    expect(Atomics.load(v.words, 0)).toBe(0);
  });

  it("a Mutex or an RLock of your own is the one getLock() hands out", () => {
    const mutex = Mutex.create(pool);
    const rlock = RLock.create(pool);
    expect(Value.create(pool, "f64", 0, { lock: mutex }).getLock()).toBe(mutex);
    expect(SharedArray.create(pool, "i8", 2, { lock: rlock }).getLock()).toBe(rlock);
  });

  it("refuses anything else, naming lock and what it takes", () => {
    const allowed = "true, false, a Mutex or an RLock";
    expectInvalid(() => Value.create(pool, "f64", 0, { lock: "yes" as unknown as boolean }), "lock", `lock must be ${allowed}; got "yes"`);
    expectInvalid(() => Value.create(pool, "f64", 0, { lock: 1 as unknown as boolean }), "lock", `lock must be ${allowed}; got 1`);
    expectInvalid(() => SharedArray.create(pool, "f64", 1, { lock: {} as unknown as boolean }), "lock", `lock must be ${allowed}; got {}`);
    expectInvalid(() => SharedArray.create(pool, "f64", 1, { lock: new Int32Array(4) as unknown as boolean }), "lock", `lock must be ${allowed}; got a Int32Array of length 4`);
  });

  it("refuses a non-allocator pool before allocating, naming what it was for", () => {
    const allowed = "a Pool from createPool() (or anything with alloc(Int32Array, n) on shared memory) to hold the Value";
    expectInvalid(() => Value.create(undefined as never, "f64"), "pool", `pool must be ${allowed}; got undefined`);
    expectInvalid(() => SharedArray.create({} as never, "f64", 1), "pool", `pool must be ${allowed}; got {}`);
  });
});
