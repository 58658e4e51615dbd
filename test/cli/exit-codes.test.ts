/**
 * Exit codes: 0 on success, 2 on a usage error (bad flags, bad input, an output file that cannot
 * be written, all found before any work), 1 on a failure at run time (a kernel trap, a worker
 * that dies) — with the error on stderr, never stdout.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, compileExample } from "../helpers/asc.js";

const MAIN = join(ROOT, "dist/cli/main.js");

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("wasm-mp exit codes", () => {
  it("exits 1 when a kernel traps at run time, naming the kernel and the trap", () => {
    // maxAbs(start, end, x) reads x[i]: a pointer near 4 GiB lies outside the shared memory
    const r = cli("run", compileExample(), "maxAbs", "--range", "0..10", "--args", "0xfff00000", "--workers", "1");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasm-mp: kernel maxAbs trapped in part 0: .*out of bounds/);
    expect(r.stdout).toBe("");
  });

  it("exits 1 when a kernel traps in a run of many parts on several workers", () => {
    const r = cli("run", compileExample(), "maxAbs", "--range", "0..100", "--chunk", "10", "--args", "0xfff00000", "--workers", "2");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^wasm-mp: kernel maxAbs trapped in part \d+/);
  });

  it("exits 2, before any work, when an output file cannot be written", () => {
    const missing = join(ROOT, "no-such-folder", "x", "primes.txt");
    const primes = cli("primes", "--up-to", "1e9", "--out", missing);
    expect(primes.status).toBe(2);
    expect(primes.stderr).toContain('--out "' + missing + '" cannot be written: its folder does not exist');
    const heat = cli("heat", "--size", "8", "--max-iterations", "10", "--png", join(ROOT, "no-such-folder", "x", "plate.png"));
    expect(heat.status).toBe(2);
    expect(heat.stdout).toBe("");
  });

  it("exits 2 on a usage error and 0 on success", () => {
    expect(cli("pi", "--n", "0").status).toBe(2);
    expect(cli("pi", "--n", "1000", "--json").status).toBe(0);
    expect(cli().status).toBe(2); // no command: the help, on a usage error's code
    expect(cli("--help").status).toBe(0);
    expect(cli("help", "pi").status).toBe(0);
  });

  it("prints the version with --version", () => {
    const r = cli("--version");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
