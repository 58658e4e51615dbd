import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writePrimes } from "../../../dist/cli/commands/primes.js";

const MAIN = new URL("../../../dist/cli/main.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "wasm-mp-primes-"));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [MAIN, "primes", ...args], { encoding: "utf8" });
}

describe("wasm-mp primes", () => {
  it("writes one number per line, carrying digits across powers of ten and past 2^32", () => {
    const values = [0, 2, 9, 10, 11, 99, 100, 101, 999, 1000, 4294967291, 4294967311, 9007199254740881];
    const file = join(dir, "values.txt");
    const bytes = writePrimes(file, values);
    const text = readFileSync(file, "utf8");
    expect(text).toBe(values.map(String).join("\n") + "\n");
    expect(bytes).toBe(text.length);
  });

  it("prints count, last, an exact decimal sum, workers and elapsedMs with --json", () => {
    const out = execFileSync(process.execPath, [MAIN, "primes", "--up-to", "1e8", "--count-only", "--json", "--workers", "2"], { encoding: "utf8" });
    const r = JSON.parse(out);
    expect([r.count, r.last, r.sum, r.workers]).toEqual([5761455, 99999989, "279209790387276", 2]);
    expect(r.elapsedMs).toBeGreaterThan(0);
  });

  it("lists to a file with --out the primes of a plain sieve, the ones --count-only counts", () => {
    const upTo = 2e6;
    const file = join(dir, "primes.txt");
    const r = JSON.parse(execFileSync(process.execPath, [MAIN, "primes", "--up-to", "2e6", "--out", file, "--json"], { encoding: "utf8" }));
    const counted = JSON.parse(execFileSync(process.execPath, [MAIN, "primes", "--up-to", "2e6", "--count-only", "--json"], { encoding: "utf8" }));
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").map(Number);
    // a plain sieve of Eratosthenes, written here
    const composite = new Uint8Array(upTo + 1);
    const expected: number[] = [];
    for (let i = 2; i <= upTo; i++) {
      if (composite[i]) continue;
      expected.push(i);
      for (let j = i * i; j <= upTo; j += i) composite[j] = 1;
    }
    expect(lines).toEqual(expected);
    expect(expected.length).toBe(148_933); // π(2·10⁶)
    expect([r.count, r.last, r.sum]).toEqual([expected.length, expected.at(-1), expected.reduce((a, b) => a + BigInt(b), 0n).toString()]);
    expect([counted.count, counted.last, counted.sum]).toEqual([r.count, r.last, r.sum]);
  });

  it("exits 2 with the allowed range on bad input", () => {
    for (const args of [["--up-to", "-1"], ["--up-to", "2.5"], ["--up-to", "1e14"], ["--upto", "5"], ["--count-only", "--out", "x"]]) {
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/up-to|upto|--out/);
    }
    expect(cli("--up-to", "-1").stderr).toMatch(/--up-to "-1" is not allowed: an integer from 0 to 1e13/);
  });
});
