/**
 * docs/pool.md's "Python → wasm-mp" table names only what exists: every `X.create(` is a class
 * of wasm-mp/sync with a static create, every `pool.m(` / `r.m(` a method of Pool / AsyncResult,
 * every error an export of wasm-mp, every createPool option one createPool accepts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../../dist/index.js";
import * as sync from "../../dist/sync-entry.js";
import { ROOT } from "../helpers/asc.js";

const doc = readFileSync(join(ROOT, "docs/pool.md"), "utf8");
const table = doc.slice(doc.indexOf("## Python → wasm-mp"), doc.indexOf("**Deliberately different, and why.**", doc.indexOf("## Python → wasm-mp")));
const right = table.split("\n").filter((l) => l.startsWith("| `")).map((l) => l.split("|")[2]!);
const all = (re: RegExp): string[] => [...new Set(right.flatMap((cell) => [...cell.matchAll(re)].map((m) => m[1]!)))];

describe("docs/pool.md's Python → wasm-mp table", () => {
  it("has a row for every name of issue 11", () => {
    for (const name of ["maxtasksperchild", "initializer", "apply_async", "AsyncResult.get", "imap_unordered", "terminate", "Event()", "Condition(",
      "RLock()", "Lock()", "BoundedSemaphore", "Barrier(", "JoinableQueue", "Pipe(", "Value(", "Array(", "Queue(", "with lock"]) {
      expect(table).toContain(name);
    }
  });

  it("names primitives that exist, each with a static create", () => {
    const names = all(/`(?:[^`]*?\b)?([A-Z]\w+)\.create\(/g);
    expect(names.length).toBeGreaterThanOrEqual(11);
    for (const n of names) expect(typeof (sync as Record<string, { create?: unknown }>)[n]?.create, n).toBe("function");
  });

  it("names Pool and AsyncResult methods that exist", async () => {
    const poolMethods = all(/pool\.(\w+)\(/g);
    for (const m of poolMethods) expect(typeof (api.Pool.prototype as unknown as Record<string, unknown>)[m], m).toBe("function");
    for (const m of all(/\br\.(\w+)\(/g)) expect(typeof (api.AsyncResult.prototype as unknown as Record<string, unknown>)[m], m).toBe("function");
    expect(poolMethods).toEqual(expect.arrayContaining(["apply", "applyAsync", "map", "starmap", "imap", "imapUnordered", "close", "join", "terminate"]));
  });

  it("names errors wasm-mp exports, and createPool options it accepts", async () => {
    for (const e of ["PoolClosedError", "KernelError", "WorkerError", "TimeoutError"]) {
      expect(table).toContain(e);
      expect(typeof (api as Record<string, unknown>)[e], e).toBe("function");
    }
    for (const option of all(/createPool\(\{ (\w+)/g)) {
      // an option createPool does not know is an InvalidArgumentError naming it; a known one fails on its value instead
      const e = await api.createPool({ [option]: Symbol("x") } as never).then((p) => p.close(), (err: Error) => err);
      expect((e as Error).message, option).not.toMatch(/^createPool option/);
    }
  });
});
