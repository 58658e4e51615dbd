import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serialMultigrid, serialSor } from "../workloads/heat-reference.js";

const cli = new URL("../../dist/cli/main.js", import.meta.url).pathname;

function wasmMp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Serial Jacobi, top edge hot, the rest 0: iterations, last max difference and centre. */
function serialHeat(n: number, top: number, left: number, tolerance: number) {
  const w = n + 2;
  let u = new Float64Array(w * w);
  for (let r = 1; r <= n; r++) u[r * w] = left;
  for (let c = 0; c < w; c++) u[c] = top;
  let next = u.slice();
  let iterations = 0;
  let maxDiff: number;
  do {
    maxDiff = 0;
    for (let r = 1; r <= n; r++) {
      for (let c = 1; c <= n; c++) {
        const i = r * w + c;
        next[i] = 0.25 * (u[i - w]! + u[i + w]! + u[i - 1]! + u[i + 1]!);
        maxDiff = Math.max(maxDiff, Math.abs(next[i]! - u[i]!));
      }
    }
    [u, next] = [next, u];
    iterations++;
  } while (maxDiff >= tolerance);
  const a = n / 2;
  const b = a + 1;
  return { iterations, maxDiff, centre: (u[a * w + a]! + u[a * w + b]! + u[b * w + a]! + u[b * w + b]!) / 4 };
}

describe("wasm-mp heat", () => {
  it("--json prints iterations, maxDiff, converged, centre, workers and elapsedMs of the solve", () => {
    const r = wasmMp("heat", "--size", "12", "--top", "100", "--left", "30", "--tolerance", "1e-3", "--workers", "2", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const want = serialHeat(12, 100, 30, 1e-3);
    expect(out).toMatchObject({ size: 12, iterations: want.iterations, maxDiff: want.maxDiff, converged: true, centre: want.centre, workers: 2 });
    expect(typeof out.elapsedMs).toBe("number");
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("--method multigrid --json adds method and residual, as a serial multigrid solve gives them", () => {
    const r = wasmMp("heat", "--size", "14", "--top", "100", "--left", "30", "--method", "multigrid", "--tolerance", "1e-3", "--workers", "3", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const want = serialMultigrid({ size: 14, top: 100, left: 30, tolerance: 1e-3, maxIterations: 100 });
    expect(out).toMatchObject({ size: 14, method: "multigrid", iterations: want.iterations, residual: want.residuals.at(-1), converged: true, centre: want.centre, workers: 3 });
  });

  it("a Jacobi run's text says that its stop does not bound the error, and points to multigrid; multigrid's does not", () => {
    const jacobi = wasmMp("heat", "--size", "12", "--top", "100", "--tolerance", "1e-3", "--workers", "1");
    expect(jacobi.code).toBe(0);
    expect(jacobi.stdout).toMatch(/^\(jacobi stops once a sweep changes little, which does not bound the distance to the steady state; --method multigrid solves to a residual that does\)$/m);
    const multigrid = wasmMp("heat", "--size", "12", "--top", "100", "--method", "multigrid", "--tolerance", "1e-3", "--workers", "1");
    expect(multigrid.code).toBe(0);
    expect(multigrid.stdout).not.toMatch(/jacobi stops/);
  });

  it("--method sor prints the sweeps and the residual it stopped on", () => {
    const want = serialSor({ size: 9, top: 100, tolerance: 1e-2, maxIterations: 100_000 });
    const r = wasmMp("heat", "--size", "9", "--method", "sor", "--tolerance", "1e-2");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`heat plate 9×9 by sor: converged after ${want.iterations} sweeps (residual ${want.residuals.at(-1)!.toExponential(4)} < 0.01)`);
    expect(r.stdout).toMatch(/within .* of the exact discrete solution: residual \/ 8/);
  });

  it("--method multigrid counts V-cycles, up to 100 unless told", () => {
    const r = wasmMp("heat", "--size", "8", "--method", "multigrid", "--max-iterations", "2", "--tolerance", "1e-12");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^heat plate 8×8 by multigrid: not converged: stopped after 2 V-cycles with residual/);
    expect(wasmMp("heat", "--help").stdout).toMatch(/V-cycles \(multigrid; default 100\)/);
  });

  it("prints a readable summary without --json", () => {
    const r = wasmMp("heat", "--size", "8", "--max-iterations", "5");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^heat plate 8×8 by jacobi: not converged: stopped after 5 sweeps/);
    expect(r.stdout).toMatch(/ns per cell update/);
  });

  it("--png writes a PNG heat map", () => {
    const file = join(mkdtempSync(join(tmpdir(), "wasm-mp-heat-")), "plate.png");
    const r = wasmMp("heat", "--size", "30", "--tolerance", "1e-2", "--png", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`heat map: ${file}`);
    const png = readFileSync(file);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBeGreaterThan(32 * 16); // wider than the 32-cell plate: enlarged, plus the legend
  });

  const bad: Array<[string[], RegExp]> = [
    [["--size", "0"], /--size "0" is not allowed: an integer from 1/],
    [["--tolerance", "0"], /tolerance must be a finite number greater than 0; got 0/],
    [["--tolerance", "abc"], /--tolerance "abc" is not allowed: a number/],
    [["--max-iterations", "0"], /--max-iterations "0" is not allowed/],
    [["--top", "1e999"], /--top "1e999" is not allowed/],
    [["--size", "20000"], /needs 6\.0 GiB \(6401280064 bytes\)/],
    [["--method", "gauss-seidel"], /--method "gauss-seidel" is not allowed: one of jacobi, sor, multigrid/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 and says what is allowed for: heat ${args.join(" ")}`, () => {
      const r = wasmMp("heat", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
  }
});
