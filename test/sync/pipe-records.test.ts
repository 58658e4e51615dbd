/**
 * Records of `recordLength` numbers through a Pipe (src/sync/pipe.ts): Connection.recvRecord and
 * recvRecordAsync, Python's recv_bytes_into. recv cannot return such a record (it is no number and
 * has no field names) and says which call can.
 */
import { describe, expect, it } from "vitest";
import { SharedArena } from "../../dist/index.js";
import { Pipe } from "../../dist/sync-entry.js";
import { within } from "../helpers/deadline.js";
import { inThread } from "./in-thread.js";

const arena = new SharedArena({ maxBytes: 1 << 20 });
const pool = { alloc: (t: Int32ArrayConstructor, n: number) => arena.alloc(t, n) };

describe("a pipe of fixed-length records", () => {
  it("carries each record whole and in order, into a new array or the caller's", async () => {
    const [a, b] = Pipe.create(pool, { recordLength: 3, capacity: 2 });
    expect(a.send([1, -2.5, 3])).toBe(true);
    expect(a.send(Float64Array.of(4, 5, 6))).toBe(true);
    expect(Array.from(b.recvRecord()!)).toEqual([1, -2.5, 3]);
    const out = new Float64Array(4).fill(9);
    expect(b.recvRecord(out, 0)).toBe(out);
    expect(Array.from(out)).toEqual([4, 5, 6, 9]); // only recordLength numbers are written
    b.send([7, 8, NaN]);
    const got = await a.recvRecordAsync();
    expect([got![0], got![1], Number.isNaN(got![2])]).toEqual([7, 8, true]);
  });

  it("gives undefined after its time limit, and once the other end closed and nothing is left", async () => {
    const [a, b] = Pipe.create(pool, { recordLength: 2 });
    const t0 = performance.now();
    expect(b.recvRecord(undefined, 30)).toBeUndefined();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
    expect(await b.recvRecordAsync(undefined, 0)).toBeUndefined();
    a.send([1, 2]);
    a.close();
    expect(Array.from(b.recvRecord(undefined, 0)!)).toEqual([1, 2]);
    expect(b.recvRecord(undefined, 1000)).toBeUndefined();
    expect(await b.recvRecordAsync()).toBeUndefined();
  });

  it("recv refuses a record, naming recvRecord; recvRecord refuses an array too short, naming out", () => {
    const [a, b] = Pipe.create(pool, { recordLength: 3 });
    a.send([1, 2, 3]);
    expect(() => b.recv(0)).toThrow(/records of 3 numbers: use getRecord \(a pipe's end: recvRecord\)/);
    expect(() => b.recvRecord(new Float64Array(2))).toThrow(/^out must be a Float64Array of at least 3 numbers/);
    expect(Array.from(b.recvRecord(undefined, 0)!)).toEqual([1, 2, 3]); // neither refusal took it
  });

  it("a one-way pipe's sending end cannot receive records", async () => {
    const [reader, writer] = Pipe.create(pool, { recordLength: 2, duplex: false });
    expect(() => writer.recvRecord()).toThrow("this end of a one-way pipe only sends");
    await expect(writer.recvRecordAsync()).rejects.toThrow("this end of a one-way pipe only sends");
    writer.send([3, 4]);
    expect(Array.from(reader.recvRecord(undefined, 0)!)).toEqual([3, 4]);
  });

  it("brings a worker thread's records to an async receive in this thread, and this thread's to the worker's blocking one", async () => {
    const [mine, theirs] = Pipe.create(pool, { recordLength: 2 });
    const worker = inThread(arena.memory, `
      const c = new m.Connection(at(data.c, 2), { recordLength: 2 });
      for (let i = 0; i < 50; i++) c.send([i, i * i], 5000);
      const back = c.recvRecord(undefined, 5000);
      return back ? Array.from(back) : "nothing received";`, { c: theirs.byteOffset });
    const seen: number[][] = [];
    for (let i = 0; i < 50; i++) seen.push(Array.from((await within(mine.recvRecordAsync(undefined, 5000), `record ${i} from the worker`))!));
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => [i, i * i]));
    mine.send([-1, 0.25]);
    expect(await within(worker, "the worker receiving one record")).toEqual([-1, 0.25]);
  });
});
