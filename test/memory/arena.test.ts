import { describe, expect, it } from "vitest";
import { MemoryLimitError, SharedArena } from "../../dist/index.js";

const MiB = 1 << 20;

describe("SharedArena", () => {
  it("hands out regions aligned as asked, past the reserved first page", () => {
    const arena = new SharedArena({ maxBytes: 64 * MiB });
    for (const align of [8, 16, 64, 4096]) {
      const v = arena.alloc(Float64Array, 3, align);
      expect(v.byteOffset % align).toBe(0);
      expect(v.byteOffset).toBeGreaterThanOrEqual(65536);
    }
  });

  it("never hands out overlapping live regions", () => {
    const arena = new SharedArena({ maxBytes: 64 * MiB });
    const views = Array.from({ length: 50 }, (_, i) => arena.alloc(Uint8Array, 1 + i * 37));
    const spans = views.map((v) => [v.byteOffset, v.byteOffset + v.byteLength] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it("zero-fills regions, also ones reused after free", () => {
    const arena = new SharedArena({ maxBytes: 64 * MiB });
    const a = arena.alloc(Int32Array, 100);
    a.fill(7);
    arena.free(a);
    const b = arena.alloc(Int32Array, 100);
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(b.every((x) => x === 0)).toBe(true);
  });

  it("grows the memory when a region does not fit, keeping earlier views valid", () => {
    const arena = new SharedArena({ maxBytes: 64 * MiB });
    const before = arena.byteLength;
    const small = arena.alloc(Float64Array, 4);
    small.set([1, 2, 3, 4]);
    const big = arena.alloc(Float64Array, 2 * MiB);
    expect(arena.byteLength).toBeGreaterThan(before);
    expect(big.length).toBe(2 * MiB);
    expect(Array.from(small)).toEqual([1, 2, 3, 4]);
    arena.free(small); // a view made before the grow can still be freed
  });

  it("merges freed neighbours so a large region fits without growing", () => {
    const arena = new SharedArena({ maxBytes: 64 * MiB });
    const parts = Array.from({ length: 8 }, () => arena.alloc(Uint8Array, MiB));
    const size = arena.byteLength;
    for (const p of parts) arena.free(p);
    arena.alloc(Uint8Array, 7 * MiB);
    expect(arena.byteLength).toBe(size);
  });

  it("throws MemoryLimitError naming the bytes needed and the limit past the maximum", () => {
    const arena = new SharedArena({ maxBytes: 4 * MiB });
    expect(() => arena.alloc(Uint8Array, 8 * MiB)).toThrow(MemoryLimitError);
    expect(() => arena.alloc(Uint8Array, 8 * MiB)).toThrow(/needs 8\.0 MiB.*limit/);
    // still usable afterwards
    expect(arena.alloc(Uint8Array, MiB).length).toBe(MiB);
  });

  it("ensureCanAllocate says no before anything is allocated", () => {
    const arena = new SharedArena({ maxBytes: 4 * MiB });
    expect(() => arena.ensureCanAllocate(5 * MiB, "the prime list")).toThrow(/the prime list needs 5\.0 MiB/);
    expect(() => arena.ensureCanAllocate(MiB)).not.toThrow();
  });

  it("rejects freeing a view twice or a foreign view", () => {
    const arena = new SharedArena({ maxBytes: 4 * MiB });
    const v = arena.alloc(Uint8Array, 10);
    arena.free(v);
    expect(() => arena.free(v)).toThrow(/live view/);
    expect(() => arena.free(new Uint8Array(10))).toThrow(/live view/);
  });

  it("rejects a maximum outside 128 KiB..4 GiB", () => {
    expect(() => new SharedArena({ maxBytes: 1000 })).toThrow(/maxMemory must be/);
    expect(() => new SharedArena({ maxBytes: 2 ** 33 })).toThrow(/maxMemory must be/);
  });
});
