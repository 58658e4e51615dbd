/**
 * The packed tarball as users get it, installed into fresh projects: CommonJS `require`, and
 * TypeScript in strict mode with node16 and with bundler module resolution.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const dir = mkdtempSync(join(tmpdir(), "wasm-mp-consumers-"));
let tarball = "";

/** A fresh project folder with the tarball installed and `files` written. */
function project(name: string, packageJson: object, files: Record<string, string>): string {
  const app = join(dir, name);
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name, private: true, ...packageJson }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: app, stdio: "pipe" });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(app, file), text);
  return app;
}

beforeAll(() => {
  execFileSync("npm", ["pack", "--pack-destination", dir, "--ignore-scripts"], { cwd: ROOT, stdio: "pipe" });
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz"))!);
}, 120_000);

describe("the packed package", () => {
  it("ships LICENSE, and source maps that carry their sources", () => {
    const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(listing).toContain("package/LICENSE");
    expect(listing.some((f) => f.startsWith("package/src/"))).toBe(false);
    const maps = listing.filter((f) => f.endsWith(".js.map"));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps) {
      const json = JSON.parse(execFileSync("tar", ["-xzOf", tarball, map], { encoding: "utf8" }));
      expect(json.sourcesContent?.length, map).toBe(json.sources.length);
      expect(json.sourcesContent.every((s: unknown) => typeof s === "string" && s.length > 0), map).toBe(true);
    }
  });

  it("says where it comes from: repository, homepage, bugs, license", () => {
    const pkg = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    expect(pkg.repository.url).toBe("git+https://github.com/wasm-mp/wasm-mp.git");
    expect(pkg.homepage).toBe("https://github.com/wasm-mp/wasm-mp#readme");
    expect(pkg.bugs.url).toBe("https://github.com/wasm-mp/wasm-mp/issues");
    expect(pkg.license).toBe("MIT");
  });

  it("loads with require() from CommonJS in Node 20 and computes π", () => {
    const app = project("cjs-app", {}, {
      "main.js": `const { pi, close, InvalidArgumentError } = require("wasm-mp");
pi({ n: 1e7, workers: 2 }).then(async (r) => {
  console.log(JSON.stringify({ value: r.value, workers: r.workers, errorClass: typeof InvalidArgumentError }));
  await close();
});`,
    });
    const run = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Math.abs(out.value - Math.PI)).toBeLessThan(1e-12);
    expect(out).toMatchObject({ workers: 2, errorClass: "function" });
  }, 120_000);

  /** Uses the public API the way the README does; the @ts-expect-error lines prove the types are not `any`. */
  const usage = `import { pi, createPool, heat, countPrimes, MemoryLimitError, type PiResult } from "wasm-mp";
const r: PiResult = await pi({ n: 1e6, workers: 1 });
const value: number = r.value;
// @ts-expect-error n is a number
await pi({ n: "1e6" });
// @ts-expect-error no such option
await pi({ n: 1e6, frobnicate: true });
const pool = await createPool({ workers: 1, maxMemory: 1 << 28 });
const plate = await heat({ size: 16, tolerance: 1e-3, pool });
const converged: boolean = plate.converged;
const count: number = (await countPrimes({ upTo: 100, pool })).count;
await pool.close();
try { pool.alloc(Float64Array, 1 << 30); } catch (e) { if (e instanceof MemoryLimitError) console.log(e.limitBytes); }
console.log(value, converged, count);
`;

  for (const [resolution, moduleKind] of [["node16", "node16"], ["bundler", "esnext"]] as const) {
    it(`type-checks with tsc --strict, moduleResolution ${resolution}`, () => {
      const app = project(`ts-${resolution}`, { type: "module" }, {
        "tsconfig.json": JSON.stringify({
          compilerOptions: {
            strict: true, noEmit: true, target: "ES2022", lib: ["ES2024", "DOM"],
            module: moduleKind, moduleResolution: resolution, skipLibCheck: false,
            types: ["node"], typeRoots: [join(ROOT, "node_modules/@types")],
          },
          include: ["main.ts"],
        }),
        "main.ts": usage,
      });
      const tsc = spawnSync(process.execPath, [TSC, "-p", app], { cwd: app, encoding: "utf8", timeout: 120_000 });
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.status).toBe(0);
    }, 180_000);
  }
});
