import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, compileExample } from "../helpers/asc.js";

const MAIN = join(ROOT, "dist/cli/main.js");
const wasm = compileExample();

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("wasm-mp run", () => {
  it("sums a user's range kernel over a range, as JSON", () => {
    const r = cli("run", wasm, "sumSquares", "--range", "0..2e5", "--workers", "2", "--json");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ kernel: "sumSquares", start: 0, end: 200_000, reduce: "sum", workers: 2 });
    expect(out.value).toBe((199_999 * 200_000 * 399_999) / 6);
    expect(out.elapsedMs).toBeGreaterThan(0);
  });

  it("passes --args after the block bounds and reduces with --reduce", () => {
    const count = JSON.parse(cli("run", wasm, "countMultiples", "--range", "1..1_000_001", "--args", "7", "--json", "--workers", "3").stdout);
    expect(count.value).toBe(Math.floor(1_000_000 / 7));
    // the smallest block sum of i² is the first block's: Σ i² for i in [0, 100)
    const min = JSON.parse(cli("run", wasm, "sumSquares", "--range", "0..1000", "--chunk", "100", "--reduce", "min", "--json").stdout);
    expect(min.value).toBe((99 * 100 * 199) / 6);
  });

  it("prints a readable result without --json", () => {
    const r = cli("run", wasm, "countMultiples", "--range", "0..100", "--args", "10", "--workers", "1");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("sum of countMultiples over [0, 100) = 10");
  });

  it("exits 2 with a clear message on bad usage", () => {
    const missing = cli("run", wasm, "--range", "0..10");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('"run" takes 2 positional arguments (module.wasm, kernel)');
    const range = cli("run", wasm, "sumSquares", "--range", "10..0");
    expect(range.status).toBe(2);
    expect(range.stderr).toContain('--range "10..0" is not allowed: A..B with integers A <= B');
    const noRange = cli("run", wasm, "sumSquares");
    expect(noRange.status).toBe(2);
    expect(noRange.stderr).toContain("--range is required");
    const kernel = cli("run", wasm, "nope", "--range", "0..10");
    expect(kernel.status).toBe(2);
    expect(kernel.stderr).toContain('kernel must be a function the module exports (sumSquares');
    const file = cli("run", "missing.wasm", "k", "--range", "0..10");
    expect(file.status).toBe(2);
    expect(file.stderr).toContain("ENOENT");
  });
});
