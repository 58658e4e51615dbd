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

  it("lists to a file with --out, the same primes as --count-only counts", () => {
    const file = join(dir, "primes.txt");
    const r = JSON.parse(execFileSync(process.execPath, [MAIN, "primes", "--up-to", "2e6", "--out", file, "--json"], { encoding: "utf8" }));
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").map(Number);
    expect(lines.length).toBe(r.count);
    expect(lines.slice(0, 5)).toEqual([2, 3, 5, 7, 11]);
    expect(lines.at(-1)).toBe(r.last);
    expect(lines.reduce((a, b) => a + BigInt(b), 0n).toString()).toBe(r.sum);
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
