/**
 * The shared layouts are declared once, in assembly/sync-layout.ts; src/sync/layout.ts lists
 * the fields. This compiles a module that exports offsetof<…>(field) for every field the
 * TypeScript side names, and the size of every class, and checks them word for word.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAYOUTS, BLOCK_WORDS } from "../../dist/sync-entry.js";
import { compileAs, POOL_MODULE_FLAGS, ROOT } from "../helpers/asc.js";

function compileOffsets(): Record<string, number> {
  const lines = ['import * as L from "../../assembly/sync-layout";'];
  for (const [name, fields] of Object.entries(LAYOUTS)) {
    lines.push(`export const ${name}_size: i32 = <i32>offsetof<L.${name}Layout>();`);
    for (const f of fields) lines.push(`export const ${name}_${f}: i32 = <i32>offsetof<L.${name}Layout>("${f}");`);
  }
  lines.push("export const block: i32 = <i32>L.BLOCK_BYTES;");
  const dir = join(ROOT, "build/test-fixtures");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "layout-offsets.ts"), lines.join("\n") + "\n");
  const wasm = compileAs("build/test-fixtures/layout-offsets.ts", POOL_MODULE_FLAGS, ["assembly/sync-layout.ts"]);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), { env: { memory } });
  return Object.fromEntries(Object.entries(exports).filter(([, v]) => v instanceof WebAssembly.Global).map(([k, v]) => [k, (v as WebAssembly.Global).value as number]));
}

describe("shared layouts", () => {
  const offsets = compileOffsets();

  it.each(Object.entries(LAYOUTS))("%s: every field the JS side names is at 4 × its word index in the AssemblyScript class, and nothing else is", (name, fields) => {
    fields.forEach((f, i) => expect(offsets[`${name}_${f}`], `${name}.${f}`).toBe(4 * i));
    expect(offsets[`${name}_size`]).toBe(4 * fields.length);
    expect(offsets[`${name}_size`]).toBeLessThanOrEqual(4 * BLOCK_WORDS);
  });

  it("a block is one 64-byte cache line on both sides", () => {
    expect(offsets.block).toBe(64);
    expect(BLOCK_WORDS * 4).toBe(64);
  });
});
