/**
 * Flags every command shares the parsing of: numbers in hexadecimal for every numeric flag, and
 * `run`'s --partition and --args, checked against references computed here.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFlags } from "../../dist/cli/args.js";
import { commands } from "../../dist/cli/commands/index.js";
import { ROOT, compileExample } from "../helpers/asc.js";
import { keyOf, referenceHitsFast } from "../helpers/philox.js";

const MAIN = join(ROOT, "dist/cli/main.js");
const KERNELS = join(ROOT, "build/kernels.wasm");

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Left to right up to 8 values, longer runs split at ⌊n/2⌋: the documented pairwise order. */
function pairwise(values: readonly number[]): number {
  if (values.length <= 8) return values.reduce((s, v) => s + v, 0);
  const mid = Math.floor(values.length / 2);
  return pairwise(values.slice(0, mid)) + pairwise(values.slice(mid));
}

/** sumSquares over [a, b): the example kernel's left-to-right f64 loop. */
function sumSquares(a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) s += i * i;
  return s;
}

describe("numbers on the command line", () => {
  const numeric = commands.flatMap((c) => c.flags.filter((f) => f.type === "integer" || f.type === "number").map((f) => [c.name, f] as const));

  it("the hex checks below cover every workload command, scaling and run", () => {
    const covered = new Set(numeric.map(([c]) => c));
    for (const name of ["pi", "montecarlo", "primes", "leibniz", "heat", "scaling", "run"]) expect(covered.has(name), name).toBe(true);
  });

  it.each(numeric.map(([c, f]) => [c, f.name, f] as const))("%s --%s takes hexadecimal like decimal", (command, name, flag) => {
    // an integer inside the flag's range: its least (or 0), plus 26 when the range allows;
    // hexadecimal spells integers only, so a flag whose range holds none has nothing to check
    const low = Math.ceil(flag.min ?? 0);
    if (flag.max !== undefined && low > flag.max) return;
    const value = flag.max === undefined || flag.max >= low + 26 ? low + 26 : low;
    const hex = `${value < 0 ? "-" : ""}0x${Math.abs(value).toString(16)}`;
    const spec = commands.find((c) => c.name === command)!.flags;
    expect(parseFlags([`--${name}`, hex], spec, command).flags[name]).toBe(value);
    expect(parseFlags([`--${name}=${hex.toUpperCase().replace("0X", "0x")}`], spec, command).flags[name]).toBe(value);
    expect(parseFlags([`--${name}`, String(value)], spec, command).flags[name]).toBe(value);
  });

  it("runs commands with hexadecimal values end to end", () => {
    const pi = cli("pi", "--n", "0x100000", "--workers", "0x2", "--chunk", "0x10000", "--json");
    expect(pi.status).toBe(0);
    expect(JSON.parse(pi.stdout)).toMatchObject({ n: 1_048_576, workers: 2, chunkSize: 65_536, parts: 16 });
    const primes = cli("primes", "--up-to", "0x64", "--count-only", "--json");
    expect(primes.status).toBe(0);
    expect(JSON.parse(primes.stdout).count).toBe(25); // π(100)
    const leibniz = cli("leibniz", "--from", "0x0", "--to", "0x4", "--digits", "0xa", "--json");
    expect(leibniz.status).toBe(0);
    // bc, scale=10: 4 − 1.3333333333 + 0.8 − 0.5714285714 = 2.8952380953
    expect(JSON.parse(leibniz.stdout).value).toBe("2.8952380953");
  });
});

describe("wasm-mp run --args and --partition", () => {
  it("--args X,Y passes both numbers after the block bounds, in order", () => {
    // the bundled Monte Carlo kernel takes (start, end, keyLo, keyHi)
    const samples = 100_000;
    const seed = 0x0000000500000007n;
    const [lo, hi] = keyOf(seed);
    const r = cli("run", KERNELS, "monteCarloHits", "--range", `0..${samples}`, "--args", `${lo},0x${hi!.toString(16)}`, "--json");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.args).toEqual([7, 5]);
    expect(out.value).toBe(referenceHitsFast(0, samples, keyOf(seed)).hits);
    const swapped = JSON.parse(cli("run", KERNELS, "monteCarloHits", "--range", `0..${samples}`, "--args", `${hi},${lo}`, "--json").stdout);
    expect(swapped.value).toBe(referenceHitsFast(0, samples, [hi!, lo!]).hits);
    expect(swapped.value).not.toBe(out.value);
  });

  it("rejects --args that are not numbers", () => {
    const r = cli("run", KERNELS, "monteCarloHits", "--range", "0..10", "--args", "1,x");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--args "1,x" is not allowed: numbers separated by commas');
  });

  const wasm = compileExample();
  const n = 2_000_000;
  const chunk = 1024; // 1954 blocks, the last one short; sums beyond 2^53 round

  it("--partition block: one block per part, the parts added pairwise", () => {
    const expected = pairwise(Array.from({ length: Math.ceil(n / chunk) }, (_, j) => sumSquares(j * chunk, Math.min(n, (j + 1) * chunk))));
    const r = JSON.parse(cli("run", wasm, "sumSquares", "--range", `0..${n}`, "--chunk", String(chunk), "--partition", "block", "--json").stdout);
    expect(r.value).toBe(expected);
  });

  it("--partition block-cyclic: blocks dealt to 64 parts, each part's blocks added in order, parts pairwise", () => {
    const blocks = Math.ceil(n / chunk), parts = 64;
    const blockSum = (b: number) => sumSquares(b * chunk, Math.min(n, (b + 1) * chunk));
    const partials = Array.from({ length: parts }, (_, j) => {
      let acc = blockSum(j);
      for (let b = j + parts; b < blocks; b += parts) acc += blockSum(b);
      return acc;
    });
    const expected = pairwise(partials);
    const block = pairwise(Array.from({ length: blocks }, (_, b) => blockSum(b)));
    expect(expected).not.toBe(block); // the two schemes group the additions differently here
    const r = JSON.parse(cli("run", wasm, "sumSquares", "--range", `0..${n}`, "--chunk", String(chunk), "--partition", "block-cyclic", "--workers", "2", "--json").stdout);
    expect(r.value).toBe(expected);
  });

  it("--partition cyclic: blocks of one index, so the largest block value with --reduce max is the last index's square", () => {
    const r = JSON.parse(cli("run", wasm, "sumSquares", "--range", "0..1000", "--partition", "cyclic", "--reduce", "max", "--json").stdout);
    expect(r.value).toBe(999 * 999);
    const block = JSON.parse(cli("run", wasm, "sumSquares", "--range", "0..1000", "--chunk", "100", "--partition", "block", "--reduce", "max", "--json").stdout);
    expect(block.value).toBe(sumSquares(900, 1000));
  });

  it("rejects an unknown --partition, naming the schemes", () => {
    const r = cli("run", wasm, "sumSquares", "--range", "0..10", "--partition", "random");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--partition "random" is not allowed: one of block, cyclic, block-cyclic');
  });
});
