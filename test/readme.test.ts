/**
 * Every example a user is shown runs, within a time limit, and prints what it should: each code
 * block of README.md, and each example line of the CLI's --help. A README block must say what
 * it is: js (run with Node, importing the package by name), sh (each line is a wasm-mp command
 * that is run, or one of the install/test commands below), or text (a picture, not run).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, compileExample } from "./helpers/asc.js";

/** Each example must finish within this (the bound: ~30 s on 2 cores). */
const LIMIT_MS = 30_000;
const MAIN = join(ROOT, "dist/cli/main.js");
/** Lines of sh blocks that install or test, which the test suite itself stands for. */
const NOT_RUN = new Set(["npm install wasm-mp", "npm install", "npm test"]);

/** A folder like a user's project: wasm-mp installed (a link to this checkout), a kernels.wasm built from examples/user-kernel. */
const cwd = mkdtempSync(join(tmpdir(), "wasm-mp-readme-"));
mkdirSync(join(cwd, "node_modules"));
symlinkSync(ROOT, join(cwd, "node_modules", "wasm-mp"), "dir");
const userWasm = compileExample();
copyFileSync(userWasm, join(cwd, "kernels.wasm"));

interface Block { lang: string; code: string; line: number }

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```(\S*)\n([\s\S]*?)^```$/gm;
  for (let m; (m = re.exec(markdown)); ) {
    blocks.push({ lang: m[1]!, code: m[2]!, line: markdown.slice(0, m.index).split("\n").length });
  }
  return blocks;
}

function run(file: string, args: string[]) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [file, ...args], { cwd, encoding: "utf8", timeout: LIMIT_MS, env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

/** What some examples must print: values known from mathematics, not from an earlier run. */
const EXPECT: Array<[RegExp, (stdout: string) => void]> = [
  // π by the midpoint rule: within 1e-12 for N ≥ 10⁶
  [/^pi .*--json/, (out) => expect(Math.abs(JSON.parse(out).value - Math.PI)).toBeLessThan(1e-12)],
  [/^pi /, (out) => expect(out).toMatch(/^π ≈ 3\.14159265358/)],
  [/^scaling pi/, (out) => expect(out).toMatch(/^\s+1 .*3\.14159265358/m)],
  // Monte Carlo with 10⁹ samples: standard error 5e-5, so within 1e-3
  [/^montecarlo /, (out) => expect(Math.abs(Number(/π ≈ ([\d.]+)/.exec(out)![1]) - Math.PI)).toBeLessThan(1e-3)],
  // π(10¹⁰) = 455,052,511 and π(10⁷) = 664,579 (OEIS A006880)
  [/^primes --up-to 1e10/, (out) => expect(out).toContain("π(10,000,000,000) = 455,052,511")],
  [/^primes --up-to 1e7 --out primes.txt/, (out) => {
    expect(out).toContain("π(10,000,000) = 664,579");
    // 4 one-digit primes, 21 two-digit, …: Σ (digits + 1)
    expect(statSync(join(cwd, "primes.txt")).size).toBe(4 * 2 + 21 * 3 + 143 * 4 + 1061 * 5 + 8363 * 6 + 68906 * 7 + 586081 * 8);
  }],
  // Σ_{i<N} (−1)^i 4/(2i+1) = π − 1/N + O(N⁻³) for even N
  [/^leibniz --from 0 --to 1e6 --digits 60/, (out) => expect(out).toMatch(/^3\.1415916535897/)],
  // the plate's steady centre is 25 (a quarter of the top edge's 100, by symmetry)
  [/^heat /, (out) => {
    expect(out).toMatch(/: converged after/);
    expect(Math.abs(Number(/^centre ([\d.]+)/m.exec(out)![1]) - 25)).toBeLessThan(0.1);
  }],
  // Σ_{i<N} i² = (N−1)N(2N−1)/6, summed in f64 by the kernel: to about 1e-12 relative
  [/^run \S+ sumSquares --range 0\.\.1e8/, (out) => expect(relativeError(out, (1e8 - 1) * 1e8 * (2e8 - 1) / 6)).toBeLessThan(1e-12)],
  // README js blocks, by a line they contain
  [/const r = await pi\(\{ n: 1e9 \}\)/, (out) => expect(Math.abs(Number(out.split(" ")[0]) - Math.PI)).toBeLessThan(1e-12)],
  [/require\("wasm-mp"\)/, (out) => expect(Math.abs(Number(out.split(" ")[0]) - Math.PI)).toBeLessThan(1e-12)],
  [/controller\.abort\(\)/, (out) => {
    expect(out.trimEnd().split("\n").at(-1)).toBe("stopped");
    expect(out.split("\n").length).toBeLessThan(15);
  }],
  [/piMidpointSimd/, (out) => expect(Math.abs(Number(out) - Math.PI)).toBeLessThan(1e-12)],
  [/await heat\(/, (out) => {
    const [converged, , centre, count, value] = out.trim().split(/[\s\n]+/);
    expect(converged).toBe("true");
    expect(Math.abs(Number(centre) - 25)).toBeLessThan(0.1);
    expect(count).toBe("455052511");
    expect(value).toMatch(/^3\.1415916535897/);
  }],
];

/** The relative error of the number after "= " in a run's output. */
function relativeError(out: string, exact: number): number {
  return Math.abs(Number(/= (\S+)/.exec(out)![1]) / exact - 1);
}

function check(key: string, stdout: string): void {
  const found = EXPECT.find(([re]) => re.test(key));
  found?.[1](stdout);
}

function runCli(line: string) {
  expect(line, "examples take no quoted arguments").not.toMatch(/["'`$]/);
  const args = line.split(/\s+/);
  const r = run(MAIN, args);
  expect(r.signal, `${line} ran past ${LIMIT_MS} ms`).toBeNull();
  expect(r.code, `${line}\n${r.stderr}`).toBe(0);
  check(args.join(" "), r.stdout);
  return r;
}

const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("README.md", () => {
  const blocks = codeBlocks(readme);

  it("has code blocks, each marked js, sh or text", () => {
    expect(blocks.length).toBeGreaterThan(5);
    for (const b of blocks) expect(["js", "sh", "text"], `block at line ${b.line}`).toContain(b.lang);
  });

  it("links absolutely (relative links break on the npm page)", () => {
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect(link).toMatch(/^(https:\/\/|#)/);
  });

  it("says how to install from npm first, and keeps contributors' commands in their own section", () => {
    const install = readme.indexOf("npm install wasm-mp");
    expect(install).toBeGreaterThan(0);
    expect(install).toBeLessThan(readme.indexOf("```js"));
    const contributing = readme.indexOf("## Contributing");
    expect(contributing).toBeGreaterThan(0);
    expect(readme.indexOf("npm test")).toBeGreaterThan(contributing);
  });

  const outputs = new Map<Block, string>();
  for (const block of blocks.filter((b) => b.lang === "js")) {
    it(`js block at line ${block.line} runs`, () => {
      const file = join(cwd, `block-${block.line}.${block.code.includes("require(") ? "cjs" : "mjs"}`);
      writeFileSync(file, block.code);
      const r = run(file, []);
      expect(r.signal, `ran past ${LIMIT_MS} ms`).toBeNull();
      expect(r.code, r.stderr).toBe(0);
      outputs.set(block, r.stdout);
      check(block.code, r.stdout);
    });
  }

  it("the first example prints a handful of lines, not a progress log", () => {
    const first = outputs.get(blocks.find((b) => b.lang === "js")!);
    expect(first?.trim().split("\n")).toHaveLength(1);
  });

  for (const block of blocks.filter((b) => b.lang === "sh")) {
    for (const raw of block.code.split("\n")) {
      const line = raw.replace(/\s+#.*$/, "").trim();
      if (line === "") continue;
      if (NOT_RUN.has(line)) continue;
      it(`sh block at line ${block.line}: ${line}`, () => {
        expect(line, "an sh line is a wasm-mp command or one of the install/test commands").toMatch(/^npx wasm-mp /);
        runCli(line.slice("npx wasm-mp ".length));
      });
    }
  }
});

describe("the CLI's --help examples", () => {
  const commands = /Commands:\n([\s\S]*?)\n\n/.exec(run(MAIN, ["--help"]).stdout)![1]!
    .split("\n").map((l) => l.trim().split(/\s+/)[0]!);

  it("lists the commands", () => expect(commands).toContain("heat"));

  for (const name of commands) {
    const help = run(MAIN, [name, "--help"]).stdout;
    const examples = [...help.matchAll(/^(?:Examples?:)?\s*wasm-mp (\S.*)$/gm)].map((m) => m[1]!.trim())
      .filter((l) => !l.includes("<") && !l.includes("["));
    it(`${name} --help shows an example`, () => expect(examples.length).toBeGreaterThan(0));
    // `worker` needs a Redis and runs until stopped: its example is shown, not run (test/cluster/ runs it)
    if (name === "worker") continue;
    for (const example of examples) it(`wasm-mp ${example}`, () => runCli(example));
  }
});
