// `wasm-mp init` as an npm user runs it: the CLI of the packed package writes a project, which
// installs (this package from its tarball, AssemblyScript from npm's cache), builds with asc and
// runs; every number it prints is checked against a reference computed here.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installInto, packPackage } from "../bench/pack.js";

const root = new URL("../..", import.meta.url).pathname;
const ascVersion = JSON.parse(readFileSync(join(root, "node_modules/assemblyscript/package.json"), "utf8")).version;

/** The longest Collatz chain for a start below `limit`: [steps, start]. */
function longestCollatz(limit: number): [number, number] {
  let best: [number, number] = [0, 1];
  for (let n = 1; n < limit; n++) {
    let x = n, steps = 0;
    while (x > 1) { x = x % 2 === 0 ? x / 2 : 3 * x + 1; steps++; }
    if (steps > best[0]) best = [steps, n];
  }
  return best;
}

/** Jacobi sweeps of the rod as relaxStep defines them, serially: [sweeps, last change, u[500]]. */
function relaxRod(n: number, tolerance: number, maxSweeps: number): [number, number, number] {
  let a = new Float64Array(n + 2), b = new Float64Array(n + 2);
  a[0] = b[0] = 1;
  let it = 0, change = Infinity;
  for (; it < maxSweeps && change >= tolerance; it++) {
    change = 0;
    for (let i = 1; i <= n; i++) {
      const v = 0.5 * (a[i - 1]! + a[i + 1]!);
      change = Math.max(change, Math.abs(v - a[i]!));
      b[i] = v;
    }
    [a, b] = [b, a];
  }
  return [it, change, a[500]!];
}

describe("npx wasm-mp init", () => {
  let dir: string;
  let tool: string;
  let tarball: string;
  beforeAll(() => {
    const packed = packPackage();
    dir = packed.dir;
    tarball = packed.tarball;
    tool = join(dir, "tool");
    installInto(tool, packed.tarball);
  }, 240_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const initCli = (...args: string[]) => spawnSync(join(tool, "node_modules/.bin/wasm-mp"), ["init", ...args], { cwd: dir, encoding: "utf8" });

  it("writes a project that installs, builds with asc and runs, printing the right numbers", () => {
    const r = initCli("my-kernels");
    expect(r.status, r.stderr).toBe(0);
    const project = join(dir, "my-kernels");
    for (const f of ["package.json", "asconfig.json", "kernels.ts", "run.mjs", "README.md", ".gitignore"]) expect(existsSync(join(project, f)), f).toBe(true);
    const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    expect(pkg.name).toBe("my-kernels");
    expect(pkg.scripts.build).toContain("asc kernels.ts");
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["assemblyscript", "wasm-mp"]);
    const asconfig = JSON.parse(readFileSync(join(project, "asconfig.json"), "utf8"));
    expect(asconfig.options).toMatchObject({ importMemory: true, sharedMemory: true, maximumMemory: 65536, runtime: "stub" });

    // as `npm install` would, with this package from its tarball instead of the registry
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `assemblyscript@${ascVersion}`], { cwd: project, stdio: "pipe" });
    const build = spawnSync("npm", ["run", "build"], { cwd: project, encoding: "utf8" });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const run = spawnSync("npm", ["start", "--silent"], { cwd: project, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);

    const n = 1e5;
    expect(run.stdout).toContain(`sumSquares: ${((n - 1) * n * (2 * n - 1)) / 6}`);
    const [steps, start] = longestCollatz(1e5);
    expect(run.stdout).toContain(`collatzSteps: longest chain below 100000 has ${steps} steps, from ${start}`);
    expect(run.stdout).toContain("scale: x[0] = -250, x[999] = 249.5");
    const [sweeps, change, middle] = relaxRod(1000, 1e-6, 20000);
    expect(run.stdout).toContain(`relaxStep: ${sweeps} sweeps, last change ${change}, u[500] = ${middle}`);
  }, 300_000);

  it("refuses a folder that is not empty, and writes nothing there", () => {
    const busy = join(dir, "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "keep.txt"), "mine");
    const r = initCli("busy");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"busy" is not empty');
    expect(existsSync(join(busy, "package.json"))).toBe(false);
  });

  it("needs the folder", () => {
    const r = initCli();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("dir");
  });
});
