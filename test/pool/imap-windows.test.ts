/**
 * imap over a lazy iterable runs one call per window (src/pool/imap.ts): these check what the
 * windows share, the call's options — progress counted over every window's items, one
 * timeoutMs for the whole call, and the caller's signal reaching every window. JS kernels in
 * two workers; expected values are the items' own doubles, computed here.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, TimeoutError, createPool, type Pool } from "../../dist/index.js";
import { within } from "../helpers/deadline.js";

let dir: string;
let pool: Pool;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "imap-windows-"));
  const module = join(dir, "kernels.mjs");
  writeFileSync(module, [
    "export function double(x) { return 2 * x; }",
    "// 2·x after sleeping ms",
    "export function slowDouble(x, ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); return 2 * x; }",
  ].join("\n"));
  pool = await createPool({ workers: 2, module });
});
afterAll(async () => {
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** 0, 1, 2, … up to `limit` items (a call that never stops fails on the limit instead of hanging). */
function* upTo(limit: number, make: (i: number) => unknown = (i) => i): Generator<unknown> {
  for (let i = 0; i < limit; i++) yield make(i);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe("imap's windows share the call's options", () => {
  it("progress counts the items done over the items pulled so far, and ends at every item", async () => {
    const reports: { done: number; total: number; fraction: number }[] = [];
    const got = await within(collect(pool.imap("double", upTo(40), { lookAhead: 10, chunkSize: 5, progressIntervalMs: 0, onProgress: (p) => reports.push(p) })), "imap with progress");
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => 2 * i));
    for (const r of reports) {
      expect(r.done).toBeLessThanOrEqual(r.total);
      expect(r.total).toBeLessThanOrEqual(40);
      expect(r.fraction).toBe(r.done / r.total);
    }
    // items done over every window: windows overlap and may end in either order, and the count never goes back
    for (let i = 1; i < reports.length; i++) expect(reports[i]!.done).toBeGreaterThanOrEqual(reports[i - 1]!.done);
    expect(reports.at(-1)).toEqual({ done: 40, total: 40, fraction: 1 });
    // the first window ends after the second was pulled (while the first ran): the total counts it
    expect(reports.find((r) => r.done >= 10)!.total).toBeGreaterThanOrEqual(20);
  });

  it("progress counts a window that ends after the next one, and still ends at every item", async () => {
    // window 1 (items 0-9, one part: 20 ms each) runs on one worker while window 2 (items 10-19, no wait) runs on the other and ends first
    const reports: { done: number; total: number }[] = [];
    const items = upTo(20, (i) => [i, i < 10 ? 20 : 0]);
    const got = await within(collect(pool.imap("slowDouble", items, { lookAhead: 10, chunkSize: 10, progressIntervalMs: 0, onProgress: (p) => reports.push(p) })), "imap with a slow first window");
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
    for (let i = 1; i < reports.length; i++) expect(reports[i]!.done).toBeGreaterThanOrEqual(reports[i - 1]!.done);
    expect(reports.at(-1)).toEqual({ done: 20, total: 20, fraction: 1 });
  });

  it("a timeoutMs the whole call stays within lets every window finish", async () => {
    // windows of 5 items of 3 ms on 2 workers: each well past 1 ms
    const got = await within(collect(pool.imap("slowDouble", upTo(30, (i) => [i, 3]), { lookAhead: 5, chunkSize: 1, timeoutMs: 20_000 })), "imap with a long timeout");
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => 2 * i));
  });

  it("timeoutMs ends the whole call, though each window takes far less", async () => {
    // windows of 4 items of 10 ms on 2 workers: ~20 ms each; 400 items take ~2 s
    const run = collect(pool.imap("slowDouble", upTo(400, (i) => [i, 10]), { lookAhead: 4, chunkSize: 1, timeoutMs: 250 }));
    const error = await within(run.then(() => "resolved", (e: unknown) => e), "imap with timeoutMs 250");
    expect(error).toBeInstanceOf(TimeoutError);
    expect(await pool.map("double", [1, 2])).toEqual([2, 4]);
  });

  it("an abort of the caller's signal while a later window runs rejects with its reason", async () => {
    const c = new AbortController();
    let n = 0;
    const run = (async () => {
      for await (const _ of pool.imap("slowDouble", upTo(400, (i) => [i, 5]), { lookAhead: 4, chunkSize: 1, signal: c.signal })) {
        if (++n === 10) c.abort("enough");
      }
    })();
    const error = await within(run.then(() => "resolved", (e: unknown) => e), "imap aborted at its 10th result");
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).reason).toBe("enough");
    expect(n).toBeLessThan(400);
  });
});
