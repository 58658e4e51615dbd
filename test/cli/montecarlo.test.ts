import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keyOf, referenceHitsFast } from "../helpers/philox.js";

const cli = new URL("../../dist/cli/main.js", import.meta.url).pathname;

function wasmMp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("wasm-mp montecarlo", () => {
  it("--json prints one JSON object with value, hits, samples, seed, stdError, workers, elapsedMs", () => {
    const r = wasmMp("montecarlo", "--samples", "2e6", "--workers", "2", "--json");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.samples).toBe(2e6);
    // the default seed is π's first 32 fractional bits; the hits come from the plain Philox reference
    expect(out.seed).toBe(0x243f6a88);
    expect(out.hits).toBe(referenceHitsFast(0, 2e6, keyOf(0x243f6a88)).hits);
    expect(out.value).toBe((4 * out.hits) / 2e6);
    expect(out.workers).toBe(2);
    expect(out.stdError).toBeGreaterThan(0);
    expect(out.interval95).toHaveLength(2);
    expect(typeof out.elapsedMs).toBe("number");
  });

  it("gives the reference's hits for any --workers and --chunk", () => {
    const expected = referenceHitsFast(0, 1e6, keyOf(9)).hits;
    for (const extra of [["--workers", "1"], ["--workers", "2", "--chunk", "77777"], ["--workers", "3", "--chunk", "1e5"]]) {
      const r = wasmMp("montecarlo", "--samples", "1e6", "--seed", "9", ...extra, "--json");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).hits).toBe(expected);
    }
  });

  it("takes a 64-bit seed in hex and prints it back as a decimal string", () => {
    const hex = JSON.parse(wasmMp("montecarlo", "--samples", "1e5", "--seed", "0xffffffffffffffff", "--json").stdout);
    const dec = JSON.parse(wasmMp("montecarlo", "--samples", "1e5", "--seed", "18446744073709551615", "--json").stdout);
    expect(hex.seed).toBe("18446744073709551615");
    expect(hex.hits).toBe(referenceHitsFast(0, 1e5, [0xffffffff, 0xffffffff]).hits);
    expect(dec.hits).toBe(hex.hits);
    // a seed between 2^32 and 2^53: the key's halves in the documented order
    const mid = JSON.parse(wasmMp("montecarlo", "--samples", "1e5", "--seed", "0x300000004", "--json").stdout);
    expect([mid.seed, mid.hits]).toEqual([0x300000004, referenceHitsFast(0, 1e5, [4, 3]).hits]);
  });

  it("prints a readable result without --json", () => {
    const r = wasmMp("montecarlo", "--samples", "1e6");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/π ≈ 3\.1\d+ ± /);
    expect(r.stdout).toMatch(/hits of 1,000,000 samples, seed 608135816/);
  });

  const bad: Array<[string[], RegExp]> = [
    [["--samples", "0"], /--samples "0" is not allowed: an integer from 1 to 1e12/],
    [["--samples", "1.5"], /--samples "1.5" is not allowed/],
    [["--samples", "2e12"], /--samples "2e12" is not allowed: an integer from 1 to 1e12/],
    [["--seed", "-1"], /--seed "-1" is not allowed: an integer from 0 to 2\^64 − 1, decimal or 0x hex/],
    [["--seed", "1.5"], /--seed "1.5" is not allowed/],
    [["--seed", "0x10000000000000000"], /--seed "0x10000000000000000" is not allowed/],
    [["--kernel", "avx"], /--kernel "avx" is not allowed: one of simd, scalar/],
    [["--sample", "5"], /unknown option --sample for "montecarlo"; known options: --samples/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 and says what is allowed for: montecarlo ${args.join(" ")}`, () => {
      const r = wasmMp("montecarlo", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
  }

  it("is a workload of wasm-mp scaling", () => {
    const svg = join(mkdtempSync(join(tmpdir(), "wasm-mp-scaling-")), "chart.svg");
    const r = wasmMp("scaling", "montecarlo", "--samples", "4e6", "--max-workers", "2", "--repeat", "1", "--svg", svg, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows[0].result).toContain(`(${referenceHitsFast(0, 4e6, keyOf(0x243f6a88)).hits} hits)`);
    expect(out.rows.map((row: { workers: number }) => row.workers)).toEqual([1, 2]);
    expect(new Set(out.rows.map((row: { result: string }) => row.result)).size).toBe(1);
  });
});
