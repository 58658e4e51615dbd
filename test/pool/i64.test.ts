/**
 * i64 in a user's kernels: a kernel's numbers cross as f64, so a module exporting a function with
 * an i64 parameter or result is refused at createPool, naming the export and what to do; never
 * rounded (2^53 + 1 would read as 2^53).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createPool, InvalidArgumentError } from "../../dist/index.js";
import { POOL_MODULE_FLAGS, compileAs } from "../helpers/asc.js";

const I64 = (): string => compileAs("test/pool/fixtures/i64.ts", POOL_MODULE_FLAGS);
const I64_PARAM = (): string => compileAs("test/pool/fixtures/i64-param.ts", POOL_MODULE_FLAGS);

async function refusal(module: unknown): Promise<InvalidArgumentError> {
  const e = await createPool({ workers: 1, module: module as string }).then(async (p) => { await p.close(); return undefined; }, (err: unknown) => err);
  expect(e).toBeInstanceOf(InvalidArgumentError);
  return e as InvalidArgumentError;
}

describe("a module exporting i64 kernels", () => {
  it("is refused at createPool from a path, naming each i64 export with its signature and the fix", async () => {
    const e = await refusal(I64());
    expect(e.parameter).toBe("module");
    expect(e.message).toMatch(/^module must be a module whose exported functions take and return f64, f32 or i32 only/);
    expect(e.message).toContain("bigResult() → i64");
    expect(e.message).toContain("half(i64) → f64");
    expect(e.message).not.toContain("add(");
    expect(e.message).toMatch(/declare those parameters and results f64 \(exact to 2\^53\) or i32/);
  });

  it("is refused from its bytes (Uint8Array, ArrayBuffer) and from a file URL, the same way", async () => {
    const bytes = readFileSync(I64_PARAM());
    for (const source of [new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), new URL(`file://${I64_PARAM()}`)]) {
      const e = await refusal(source);
      expect(e.message).toContain("shiftLeft(i32, i64) → f64");
      expect(e.message).not.toContain("add(");
    }
  });

  it("as a compiled WebAssembly.Module (no bytes to read) starts, and its i64 result is refused at the call, never rounded", async () => {
    const module = new WebAssembly.Module(readFileSync(I64()));
    const pool = await createPool({ workers: 1, module });
    try {
      await expect(pool.apply("bigResult")).rejects.toThrow(/returned an i64 \(9007199254740993n\)/);
      await expect(pool.apply("half", [10])).rejects.toThrow(/BigInt/);
      expect(await pool.apply("add", [2, 3])).toBe(5);
    } finally {
      await pool.close();
    }
  });
});
