/**
 * The sieve's context block is declared once, in assembly/sieve-context.ts; the TS side
 * (src/workloads/primes-sieve.ts, Ctx) mirrors it. This compiles the declaration on its own and
 * checks every field the TS side names against it, so the two cannot drift apart.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Ctx, FLAG_SUMS, N_BYTE_OFFSET, RECORD_WORDS, RUN_BOUNDARIES, SLOT_ACTIVE_BYTES } from "../../dist/workloads/primes-sieve.js";
import { POOL_MODULE_FLAGS, compileAs } from "../helpers/asc.js";

describe("the sieve's context layout", () => {
  it("the TS mirror has every field at the offset assembly/sieve-context.ts declares", async () => {
    const wasm = compileAs("assembly/sieve-context.ts", POOL_MODULE_FLAGS);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const { instance: { exports } } = await WebAssembly.instantiate(readFileSync(wasm), { env: { memory, abort() {} } });
    const declared = (name: string): number => Number((exports[name] as WebAssembly.Global).value);
    const names = Object.keys(Ctx).filter((k) => k !== "N"); // N is an f64 at its own offset
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) expect(4 * Ctx[name as keyof typeof Ctx], name).toBe(declared(`CTX_${name}`));
    expect(N_BYTE_OFFSET).toBe(declared("CTX_N"));
    expect(FLAG_SUMS).toBe(declared("FLAG_SUMS"));
    expect(8 * RECORD_WORDS).toBe(declared("RECORD_BYTES"));
    expect(SLOT_ACTIVE_BYTES).toBe(declared("SLOT_ACTIVE_BYTES"));
    expect(RUN_BOUNDARIES).toBe(declared("RUNS") + 1);
  });
});
