/**
 * A user's own module in createPool: the example of examples/user-kernel built and run as its
 * README says, the forms a module may be given in, and the clear errors for modules that
 * cannot work on a pool.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createPool, InvalidArgumentError } from "../../dist/index.js";
import { CRASH_HOST, POOL_MODULE_FLAGS, ROOT, compileAs, compileExample, compileFaults } from "../helpers/asc.js";

const ASC = join(ROOT, "node_modules/assemblyscript/bin/asc.js");
const without = (flags: readonly string[], ...drop: string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (drop.includes(flags[i]!)) {
      if (["--maximumMemory", "--initialMemory", "--enable", "--runtime"].includes(flags[i]!)) i++;
      continue;
    }
    out.push(flags[i]!);
  }
  return out;
};

/** Left to right: up to 8 values; longer runs split at ⌊n/2⌋ (the documented pairwise order). */
function pairwise(values: readonly number[]): number {
  if (values.length <= 8) return values.reduce((s, v) => s + v, 0);
  const mid = Math.floor(values.length / 2);
  return pairwise(values.slice(0, mid)) + pairwise(values.slice(mid));
}

/**
 * Σ i² for i < n the way mapReduce(sumSquares, [0, n]) adds it in f64, derived here: the default
 * chunk is the smallest power of two from 1024 with 64 chunks covering n; each part sums its
 * squares left to right (the kernel's loop); the parts are added pairwise in part order.
 */
function sumSquaresAsReduced(n: number): number {
  let chunk = 1024;
  while (chunk * 64 < n) chunk *= 2;
  const partials: number[] = [];
  for (let start = 0; start < n; start += chunk) {
    let s = 0;
    for (let i = start; i < Math.min(start + chunk, n); i++) s += i * i;
    partials.push(s);
  }
  const value = pairwise(partials);
  // near the exact (n−1)n(2n−1)/6, which exceeds 2^53 (each part's left-to-right sum rounds)
  const exact = (BigInt(n - 1) * BigInt(n) * BigInt(2 * n - 1)) / 6n;
  if (Math.abs(value / Number(exact) - 1) > 1e-12) throw new Error(`the reference ${value} is far from ${exact}`);
  return value;
}

describe("examples/user-kernel", () => {
  it("builds with its asconfig.json and runs through createPool as run.mjs shows", () => {
    execFileSync(process.execPath, [ASC, "kernels.ts", "--config", "asconfig.json", "--target", "release"], { cwd: join(ROOT, "examples/user-kernel") });
    const out = execFileSync(process.execPath, [join(ROOT, "examples/user-kernel/run.mjs")], { encoding: "utf8" });
    expect(out).toContain(`Σ i² for i < 1e6 = ${sumSquaresAsReduced(1e6)}`);
    expect(out).toContain("longest Collatz chain below 1e5: 350 steps, from 77031");
    expect(out).toContain("max |x| after scaling by 0.5: 250");
    expect(out).toContain("Σ i for i < 1000 through a mutex: 499500");
  });
});

describe("the module option", () => {
  const wasm = compileExample();

  it("takes a path, a file URL, bytes, an ArrayBuffer or a compiled Module", async () => {
    const bytes = readFileSync(wasm);
    const sources = [wasm, pathToFileURL(wasm), new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), await WebAssembly.compile(bytes)];
    for (const module of sources) {
      const pool = await createPool({ workers: 1, module });
      try {
        expect(await pool.apply("collatzSteps", [27])).toBe(111);
        expect(pool.kernels).toContain("sumSquares");
        expect(pool.kernels).not.toContain("piMidpointSimd");
      } finally {
        await pool.close();
      }
    }
  });

  it("refuses a module with a memory of its own", async () => {
    const wasm = compileAs("test/pool/fixtures/tiny.ts", without(POOL_MODULE_FLAGS, "--importMemory", "--sharedMemory"));
    await expect(createPool({ workers: 1, module: wasm })).rejects.toThrow(InvalidArgumentError);
    await expect(createPool({ workers: 1, module: wasm })).rejects.toThrow(/must be a module that imports a shared memory as env.memory \(AssemblyScript: --importMemory --sharedMemory\); got "a module with a memory of its own"/);
  });

  it("refuses a module whose imported memory is not shared", async () => {
    const wasm = compileAs("test/pool/fixtures/tiny.ts", without(POOL_MODULE_FLAGS, "--sharedMemory"));
    await expect(createPool({ workers: 1, module: wasm })).rejects.toThrow(/^module must be a module whose env.memory import is shared/);
  });

  it("refuses a module whose memory maximum is below maxMemory, and takes it with a maxMemory that fits", async () => {
    const wasm = compileAs("test/pool/fixtures/tiny.ts", [...without(POOL_MODULE_FLAGS, "--maximumMemory"), "--maximumMemory", "100"]);
    await expect(createPool({ workers: 1, module: wasm })).rejects.toThrow(/with a maximum of at least 65536 pages/);
    const pool = await createPool({ workers: 1, module: wasm, maxMemory: 100 * 65536 });
    expect(await pool.apply("twice", [21])).toBe(42);
    await pool.close();
  });

  it("refuses a module importing what it is not given, naming the import", async () => {
    await expect(createPool({ workers: 1, module: compileFaults() })).rejects.toThrow(/^module must be a module whose imports are env.memory and env.abort only, or supplied by the hostImports option; got "a module importing env.crash \(function\)"/);
  });

  it("refuses a hostImports module without a default function", async () => {
    await expect(createPool({ workers: 1, module: compileFaults(), hostImports: join(ROOT, "test/pool/fixtures/bad-host.mjs") })).rejects.toThrow(/^hostImports must be a JS module whose default export is a function/);
    const pool = await createPool({ workers: 1, module: compileFaults(), hostImports: CRASH_HOST });
    expect(await pool.apply("trapAt", [4, 0])).toBe(8);
    await pool.close();
  });

  it("fails fast, with the worker's error, when the workers cannot start", async () => {
    const started = performance.now();
    const create = createPool({ workers: 2, module: compileFaults(), hostImports: join(ROOT, "test/pool/fixtures/failing-host.mjs") });
    await expect(create).rejects.toThrow("a worker failed to start: this host module cannot start in a worker");
    expect(performance.now() - started).toBeLessThan(20_000); // not the 30 s start-up timeout
  });

  it("refuses static data beyond the first 64 KiB, and runs a module whose data lies below", async () => {
    const high = compileAs("test/pool/fixtures/static-data.ts", [...without(POOL_MODULE_FLAGS, "--initialMemory"), "--initialMemory", "2", "--memoryBase", "70000"]);
    await expect(createPool({ workers: 1, module: high })).rejects.toThrow(/^module must be a module without static data beyond the first 65536 bytes of memory \(it has data up to byte 700\d\d/);
    const low = compileAs("test/pool/fixtures/static-data.ts", POOL_MODULE_FLAGS);
    const pool = await createPool({ workers: 2, module: low });
    expect(await pool.map("lookup", [0, 1, 2])).toEqual([1.5, 2.5, 3.5]);
    await pool.close();
  });

  it("refuses what is not a module source", async () => {
    await expect(createPool({ workers: 1, module: 42 as never })).rejects.toThrow(/^module must be a WebAssembly.Module, the module's bytes/);
  });
});
