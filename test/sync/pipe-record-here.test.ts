/**
 * Pipe / Connection (src/sync/pipe.ts) and named record types (src/sync/record.ts) called in the
 * test's own thread: the argument checks with their exact messages, both ends of a duplex and a
 * one-way pipe, close from either end, and the record layout read back byte by byte. The pool
 * tests run these in kernels and worker threads, where a mutation-testing run neither sees their
 * coverage nor activates its mutants (docs/testing.md, "Mutation testing").
 */
import { describe, expect, it } from "vitest";
import { SharedArena } from "../../dist/index.js";
import { Connection, Pipe, Queue, recordType } from "../../dist/sync-entry.js";
import { within } from "../helpers/deadline.js";
import { inThread } from "./in-thread.js";
import { expectError, expectInvalid } from "../helpers/thrown.js";

const arena = new SharedArena({ maxBytes: 1 << 20 });
const pool = { alloc: (t: Int32ArrayConstructor, n: number) => arena.alloc(t, n) };
const memory = arena.memory;

describe("Pipe in this thread", () => {
  it("a duplex pipe carries each direction in order, and recv gives up after its limit", async () => {
    const [a, b] = Pipe.create(pool, { capacity: 2 });
    expect(a.send(1, 0)).toBe(true);
    expect(await a.sendAsync(2, 0)).toBe(true);
    expect(a.send(3, 0)).toBe(false); // b has 2 unread: a's direction is full
    expect(b.send(-1)).toBe(true);
    expect([b.poll(), a.poll()]).toEqual([true, true]);
    expect([b.recv(), await b.recvAsync(), b.recv(0)]).toEqual([1, 2, undefined]);
    expect(a.recv(0)).toBe(-1);
    const t0 = performance.now();
    expect(a.recv(30)).toBeUndefined();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
    expect([a.poll(), await a.pollAsync(0)]).toEqual([false, false]);
  });

  it("after one end closes, the other drains what was sent, then gets undefined; sends fail both ways", async () => {
    const [a, b] = Pipe.create(pool);
    a.send(5);
    a.send(6);
    b.send(7);
    b.close();
    expect([a.recv(0), a.recv(1000), await a.recvAsync(1000)]).toEqual([7, undefined, undefined]);
    expect([b.recv(0), b.recv(1000), b.recv(1000)]).toEqual([5, 6, undefined]);
    expect([a.send(8, 0), b.send(9, 0), await a.sendAsync(8, 1000)]).toEqual([false, false, false]);
    expect(a.poll(1000)).toBe(true); // closed: a recv would return at once
  });

  it("a one-way pipe: the first end only receives, the second only sends, and either end closes it", async () => {
    const [r, w] = Pipe.create(pool, { duplex: false, capacity: 1 });
    expectError(() => r.send(1), "this end of a one-way pipe only receives");
    expectError(() => w.recv(0), "this end of a one-way pipe only sends");
    expectError(() => w.poll(), "this end of a one-way pipe only sends");
    // the async calls reject (a caller's .catch sees it), as Queue's do, rather than throw
    for (const p of [w.recvAsync(0), w.pollAsync(), r.sendAsync(1)]) await expect(p).rejects.toThrow(/^this end of a one-way pipe only (sends|receives)$/);
    expect(w.send(4, 0)).toBe(true);
    expect(r.recv(0)).toBe(4);
    r.close(); // the receiving end: it sends on nothing, and closes what it receives from
    expect(w.send(5, 1000)).toBe(false);
    expect(r.recv(1000)).toBeUndefined();
    const [r2, w2] = Pipe.create(pool, { duplex: false });
    w2.send(1);
    w2.close(); // the sending end: it receives from nothing
    expect([r2.recv(1000), r2.recv(1000)]).toEqual([1, undefined]);
  });

  it("another thread's Connection over an end's words is that end, named records included", async () => {
    const record = { x: "f64", id: "i32" } as const;
    const [mine, theirs] = Pipe.create(pool, { record });
    const worker = inThread(memory, `
      const c = new m.Connection(at(data.c, 2), { record: { x: "f64", id: "i32" } });
      c.send({ x: 1.5, id: -2 }); c.send({ x: 3, id: 4 }); return c.recv(5000);`, { c: theirs.byteOffset });
    expect(mine.send({ x: -0.5, id: 9 })).toBe(true);
    expect(await within(worker, "a worker sending two records and receiving one")).toEqual({ x: -0.5, id: 9 });
    const again = new Connection(mine.words, { record });
    expect(again.byteOffset).toBe(mine.byteOffset);
    expect([again.recv(0), mine.recv(0), again.recv(0)]).toEqual([{ x: 1.5, id: -2 }, { x: 3, id: 4 }, undefined]);
  });

  it("refuses words that are no pipe end's, naming what an end needs", () => {
    expectInvalid(() => new Connection(new Int32Array(new SharedArrayBuffer(4))), "words",
      "words must be an Int32Array of at least 2 words on shared memory (e.g. pool.alloc(Int32Array, 2)) for a pipe end; got a Int32Array of length 1");
  });
});

describe("recordType in this thread", () => {
  const allowed = "an object of field types, each one of f64, f32, i32, u32, i16, u16, i8, u8";

  it("refuses what is not an object of known field types, naming the types allowed", () => {
    const fn = Object.assign(() => 0, { x: "f64" });
    const cases: Array<[unknown, string]> = [
      [null, "null"], [undefined, "undefined"], ["f64", '"f64"'], [5, "5"], [fn, "a function"], [{}, "{}"],
      [{ x: "f65" }, '{"x":"f65"}'], [{ x: "f64", y: "f65" }, '{"x":"f64","y":"f65"}'], [{ x: "toString" }, '{"x":"toString"}'],
    ];
    for (const [bad, shown] of cases) {
      expectInvalid(() => recordType(bad as never), "record", `record must be ${allowed}; got ${shown}`);
    }
    expectInvalid(() => Queue.create(pool, 2, { record: { a: "i64" } as never }), "record", `record must be ${allowed}; got {"a":"i64"}`);
  });

  it("lays fields out at the next multiple of their size, the whole rounded up to 8 bytes", () => {
    const t = recordType({ a: "u8", b: "i16", c: "f32", d: "u8", e: "f64", f: "i8" });
    // a: 0; b: 2 (2-byte aligned); c: 4; d: 8; e: 16 (8-byte aligned); f: 24; end 25 → 32
    expect([t.offsets, t.byteLength]).toEqual([{ a: 0, b: 2, c: 4, d: 8, e: 16, f: 24 }, 32]);
    expect(recordType({ one: "u16" }).byteLength).toBe(8);
  });

  it("writes and reads each field little-endian at its offset from `at`", () => {
    const t = recordType({ a: "u8", b: "i16", c: "f32", u: "u32", e: "f64" });
    expect(t.offsets).toEqual({ a: 0, b: 2, c: 4, u: 8, e: 16 });
    const view = new DataView(new ArrayBuffer(64));
    const value = { a: 200, b: -300, c: 1.5, u: 4_000_000_000, e: -2.25 };
    t.write(view, 24, value);
    const bytes = new Uint8Array(view.buffer);
    expect(bytes.slice(0, 24).every((x) => x === 0)).toBe(true); // nothing before `at`
    expect([view.getUint8(24), view.getInt16(26, true), view.getFloat32(28, true), view.getUint32(32, true), view.getFloat64(40, true)])
      .toEqual([200, -300, 1.5, 4_000_000_000, -2.25]);
    expect([bytes[26], bytes[27]]).toEqual([(-300 & 0xff), (-300 >> 8) & 0xff]); // little-endian
    expect(t.read(view, 24)).toEqual(value);
    t.write(view, 0, { a: 1, b: 2, c: 3, u: 4, e: 5 }); // a second record before the first leaves it whole
    expect([t.read(view, 0), t.read(view, 24)]).toEqual([{ a: 1, b: 2, c: 3, u: 4, e: 5 }, value]);
  });

  it("check accepts an object with every field a number, and refuses anything else naming the fields", () => {
    const t = recordType({ x: "f64", id: "i32" });
    const message = (got: string): string => `point must be a record { x: number, id: number }; got ${got}`;
    expect(() => t.check({ x: 1, id: 2 }, "point")).not.toThrow();
    expect(() => t.check({ x: NaN, id: 2, extra: "ignored" }, "point")).not.toThrow();
    const fn = Object.assign(() => 0, { x: 1, id: 2 });
    const cases: Array<[unknown, string]> = [
      [null, "null"], [undefined, "undefined"], [5, "5"], [fn, "a function"], [{ x: 1 }, '{"x":1}'],
      [{ x: 1, id: "2" }, '{"x":1,"id":"2"}'], [{ id: 2 }, '{"id":2}'],
    ];
    for (const [bad, shown] of cases) expectInvalid(() => t.check(bad, "point"), "point", message(shown));
  });
});
