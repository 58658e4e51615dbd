/**
 * How the CLI fails: a usage mistake (exit 2, before any work), a trap or an interrupted run
 * (exit 1), each as one line on stderr with no stack trace.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { POOL_MODULE_FLAGS, ROOT, compileAs } from "../helpers/asc.js";

const MAIN = join(ROOT, "dist/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "wasm-mp-cli-failures-"));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", cwd: dir, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line on stderr, with no "    at …" frames of a stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe("exit codes", () => {
  it("are listed in wasm-mp --help", () => {
    const r = cli("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes: 0 done; 1 the run failed .* or was stopped \(Ctrl-C\);\n2 a mistake on the command line/);
  });
});

describe("a run that fails", () => {
  const wasm = compileAs("test/cli/fixtures/trap.ts", POOL_MODULE_FLAGS);

  it("a kernel trap prints one line naming the kernel and the trap, and exits 1", () => {
    const ok = cli("run", wasm, "countOrTrap", "--range", "0..1000", "--chunk", "100", "--args", "-1", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).value).toBe(1000);

    const r = cli("run", wasm, "countOrTrap", "--range", "0..1000", "--chunk", "100", "--args", "450", "--workers", "2");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^wasm-mp: kernel countOrTrap trapped in part \d+: .*unreachable/);
    expectOneLine(r.stderr);
  });

  const long: Array<[string, string[]]> = [
    // π to 10¹² terms takes minutes, and so do its scaling runs: only the interrupt ends them this soon
    ["pi", ["pi", "--n", "1e12", "--workers", "2"]],
    ["scaling", ["scaling", "pi", "--n", "1e12", "--max-workers", "2", "--svg", join(dir, "interrupted.svg")]],
    ["heat", ["heat", "--size", "2000", "--tolerance", "1e-12"]],
  ];
  for (const [name, args] of long) {
    it(`Ctrl-C (SIGINT) stops ${name} within seconds: one line, exit 1`, async () => {
      const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir });
      let stderr = "";
      let stdout = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.stdout.on("data", (d) => (stdout += d));
      await new Promise((r) => setTimeout(r, 1500));
      const sent = performance.now();
      child.kill("SIGINT");
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      expect(performance.now() - sent).toBeLessThan(10_000);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      // a progress line may come first off a terminal; the last line says what happened
      expect(stderr.trimEnd().split("\n").at(-1)).toBe(`wasm-mp: ${name} interrupted by SIGINT; stopped before finishing`);
      expect(stderr).not.toMatch(/^\s+at /m);
    });
  }
});

describe("an output file that cannot be written is refused before any work, with exit 2", () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "keep me");
  const readOnlyDir = join(dir, "read-only");
  mkdirSync(readOnlyDir);
  chmodSync(readOnlyDir, 0o500);
  const cases: Array<[string, string, RegExp]> = [
    [join(dir, "missing", "x"), "its folder does not exist", /missing/],
    [dir, "it is a folder", /./],
    [join(file, "x"), "a part of its folder is not a folder", /./],
  ];
  // root may write anywhere: permissions are only a case when the tests do not run as root
  if (process.getuid?.() !== 0) cases.push([join(readOnlyDir, "x"), "permission denied", /./]);

  for (const [path, why] of cases) {
    it(`${why}: --out, --png and --svg`, () => {
      // each command would run for minutes: a quick refusal shows that nothing ran
      const runs: Array<[string, string[]]> = [
        ["--out", ["primes", "--up-to", "1e8", "--force", "--out", path]],
        ["--png", ["heat", "--size", "4000", "--tolerance", "1e-12", "--png", path]],
        ["--svg", ["scaling", "pi", "--n", "1e12", "--svg", path]],
      ];
      for (const [flag, args] of runs) {
        const started = performance.now();
        const r = cli(...args);
        expect(r.code, args.join(" ")).toBe(2);
        expect(r.stderr).toContain(`${flag} ${JSON.stringify(path)} cannot be written: ${why}`);
        expect(r.stdout).toBe("");
        expect(performance.now() - started).toBeLessThan(5_000);
      }
    });
  }

  it("checking leaves an existing file as it was and creates no new one", () => {
    expect(cli("primes", "--up-to", "-1", "--out", file).code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe("keep me");
    const fresh = join(dir, "fresh.txt");
    expect(cli("primes", "--up-to", "-1", "--out", fresh).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });

  it("scaling's default chart file is checked too", () => {
    const cwd = join(dir, "chart-is-a-folder");
    mkdirSync(join(cwd, "scaling-pi.svg"), { recursive: true });
    const r = spawnSync(process.execPath, [MAIN, "scaling", "pi", "--n", "1e12"], { encoding: "utf8", cwd, timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the chart file "scaling-pi.svg" cannot be written: it is a folder; choose one with --svg');
  });
});

describe("stray positional arguments are refused with exit 2", () => {
  for (const args of [["pi", "extra"], ["heat", "--size", "8", "1e-4"], ["scaling", "pi", "--n", "1e6", "stray"], ["leibniz", "--", "--to"]]) {
    it(`wasm-mp ${args.join(" ")}`, () => {
      const r = cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/takes no (further )?positional arguments; got (extra|1e-4|stray|--to)/);
      expect(r.stdout).toBe("");
    });
  }
});
