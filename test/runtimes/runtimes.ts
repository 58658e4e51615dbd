// What the runtime tests share: Deno and Bun from the npm packages (devDependencies, so
// node_modules/.bin has them after `npm install`), a user's project with wasm-mp installed from
// `npm pack`, and running a script or the CLI in it under a runtime.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

export interface Runtime {
  name: "node" | "deno" | "bun";
  /** The executable; absent where the machine lacks it. */
  path?: string;
  /** The command line before the script: the permissions the README names, for Deno. */
  prefix: string[];
}

/** The Deno permissions the README documents: reading the package's files, the environment. */
export const DENO_PERMISSIONS = ["--allow-read", "--allow-env"];

export const RUNTIMES: Record<Runtime["name"], Runtime> = {
  node: { name: "node", path: process.execPath, prefix: [] },
  deno: { name: "deno", path: bin("deno"), prefix: ["run", ...DENO_PERMISSIONS] },
  bun: { name: "bun", path: bin("bun"), prefix: [] },
};

function bin(name: string): string | undefined {
  const path = join(ROOT, "node_modules/.bin", name);
  return existsSync(path) ? path : undefined;
}

export function missingHint(runtime: Runtime): string {
  return `no ${runtime.name} at node_modules/.bin/${runtime.name}; \`npm install\` installs it (the ${runtime.name} package is a devDependency; .ci/run does this in CI)`;
}

/** The runtime's version line, e.g. "deno 2.9.6" or "1.4.5". */
export function version(runtime: Runtime): string {
  return execFileSync(runtime.path!, ["--version"], { encoding: "utf8" }).split("\n")[0]!.trim();
}

/**
 * A user's project: package.json, wasm-mp unpacked from `npm pack` into node_modules (with its
 * dependencies linked from this repository's), and the fixtures in ./fixtures.
 */
export function makeProject(): string {
  const into = mkdtempSync(join(tmpdir(), "wasm-mp-runtimes-"));
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", into], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const tarball = join(into, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
  const pkg = join(into, "node_modules/wasm-mp");
  mkdirSync(pkg, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", pkg, "--strip-components=1"]);
  // the package's dependencies, linked from this repository's node_modules (theirs resolve from there)
  const { dependencies = {} } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    mkdirSync(dirname(join(into, "node_modules", name)), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", name), join(into, "node_modules", name), "dir");
  }
  writeFileSync(join(into, "package.json"), JSON.stringify({ name: "runtimes-app", private: true, type: "module", dependencies: { "wasm-mp": "*" } }, null, 2));
  cpSync(FIXTURES, join(into, "fixtures"), { recursive: true });
  return into;
}

export interface Ran { code: number | null; stdout: string; stderr: string; ms: number }

/** Runs `args` (a script and its arguments) under the runtime in `cwd`; never throws for a non-zero exit. */
export function run(runtime: Runtime, args: string[], cwd: string, timeoutMs = 60_000): Promise<Ran> {
  const started = performance.now();
  // plain output to compare: Deno colours console.log's numbers when FORCE_COLOR is set at all
  const { FORCE_COLOR: _, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(runtime.path!, [...runtime.prefix, ...args], { cwd, timeout: timeoutMs, killSignal: "SIGKILL", env: { ...env, NO_COLOR: "1" }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      }).stdin?.end();
  });
}
