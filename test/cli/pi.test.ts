import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const cli = new URL("../../dist/cli/main.js", import.meta.url).pathname;

function wasmMp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("wasm-mp pi", () => {
  it("--json prints one JSON object with value, n, workers, elapsedMs", () => {
    const r = wasmMp("pi", "--n", "1e7", "--workers", "2", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.value - Math.PI)).toBeLessThan(1e-12);
    expect(out.n).toBe(1e7);
    expect(out.workers).toBe(2);
    expect(typeof out.elapsedMs).toBe("number");
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("accepts 4e9-style, 1_000_000-style and 0x-style numbers", () => {
    for (const [text, n] of [["1_000_000", 1_000_000], ["2.5e6", 2_500_000], ["0xF4240", 1_000_000]] as const) {
      const r = wasmMp("pi", `--n=${text}`, "--json");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).n).toBe(n);
    }
  });

  it("prints a readable result without --json", () => {
    const r = wasmMp("pi", "--n", "1e6");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/π ≈ 3\.14159265358/);
    expect(r.stdout).toMatch(/time /);
  });

  const bad: Array<[string[], RegExp]> = [
    [["--n", "-5"], /--n "-5" is not allowed: an integer from 1 to 1e12/],
    [["--n", "1.5"], /--n "1.5" is not allowed: an integer from 1 to 1e12/],
    [["--n", "NaN"], /--n "NaN" is not allowed/],
    [["--n", "2e12"], /--n "2e12" is not allowed: an integer from 1 to 1e12/],
    [["--n", "abc"], /--n "abc" is not allowed/],
    [["--n"], /--n needs a value/],
    [["--workers", "0"], /--workers "0" is not allowed: an integer from 1 to 256/],
    [["--kernel", "avx"], /--kernel "avx" is not allowed: one of simd, scalar/],
    [["--frobnicate"], /unknown option --frobnicate for "pi"; known options: --n/],
    [["extra"], /takes no positional arguments/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 and says what is allowed for: pi ${args.join(" ")}`, () => {
      const r = wasmMp("pi", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
  }

  it("--help describes every option", () => {
    const r = wasmMp("pi", "--help");
    expect(r.code).toBe(0);
    for (const flag of ["--n", "--workers", "--chunk", "--kernel", "--json"]) expect(r.stdout).toContain(flag);
  });
});

describe("wasm-mp", () => {
  it("--help lists the commands", () => {
    const r = wasmMp("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pi\s/);
    expect(r.stdout).toMatch(/scaling\s/);
  });

  it("an unknown command exits 2 naming the commands", () => {
    const r = wasmMp("tau");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "tau"; commands: pi/);
  });
});

describe("wasm-mp scaling", () => {
  it("prints workers, time, speedup, efficiency and writes an SVG chart", () => {
    const svg = join(mkdtempSync(join(tmpdir(), "wasm-mp-scaling-")), "chart.svg");
    const r = wasmMp("scaling", "pi", "--n", "2e7", "--max-workers", "2", "--repeat", "1", "--svg", svg);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/workers\s+time\s+speedup\s+efficiency/);
    expect(r.stdout).toMatch(/^\s+1\s.*1\.00\s+100%/m);
    expect(r.stdout).toMatch(/^\s+2\s/m);
    const chart = readFileSync(svg, "utf8");
    expect(chart).toMatch(/^<svg/);
    expect(chart).toContain("ideal T₁/P");
  });

  it("--json gives one row per worker count", () => {
    const svg = join(mkdtempSync(join(tmpdir(), "wasm-mp-scaling-")), "chart.svg");
    const r = wasmMp("scaling", "pi", "--n", "1e7", "--max-workers", "3", "--repeat", "1", "--svg", svg, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows.map((row: { workers: number }) => row.workers)).toEqual([1, 2, 3]);
    expect(new Set(out.rows.map((row: { result: string }) => row.result)).size).toBe(1);
  });

  it("names the workloads when none is given", () => {
    const r = wasmMp("scaling");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/scaling needs a workload: one of pi/);
  });
});
