// A user's app that imports "wasm-mp" by name, bundled by Rollup 4 with the one plugin any app
// with npm dependencies needs, @rollup/plugin-node-resolve, and nothing about the package, then
// run in headless Chromium. Rollup does not follow `new URL(…, import.meta.url)`:
// - with nodeResolve() the package resolves through its "module" condition to the embedded entry;
// - with nodeResolve({ browser: true }) it resolves to the browser entry, which sees that its
//   URLs were not rewritten and loads the embedded copies instead (platform/browser-files.ts).
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { rollup, VERSION } from "rollup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mp from "../../dist/index.js";
import { EMBEDDED_KERNELS_MARK, INPUTS, addUserFiles, appChecks, appHtml, makeApp, openApp, runWorkloads, type Outcome } from "./bundled-app.js";
import { launch, missing, type Engine } from "./engines.js";

const skip = missing("chromium");
if (skip) console.warn(`test/browser/rollup.test.ts is skipped: ${skip}`);

interface Built { outDir: string; warnings: string[]; modules: string[] }

/** Bundles app/index.js into app/`dir` with Rollup's defaults (format "es") and node-resolve. */
async function bundle(app: string, dir: string, browser: boolean): Promise<Built> {
  const warnings: string[] = [];
  const started = performance.now();
  const build = await rollup({ input: join(app, "index.js"), plugins: [nodeResolve(browser ? { browser } : {})], onwarn: (w) => { warnings.push(w.message); } });
  const outDir = join(app, dir);
  const { output } = await build.write({ dir: outDir });
  await build.close();
  const modules = output.flatMap((o) => (o.type === "chunk" ? Object.keys(o.modules) : [])).filter((id) => id.includes("/node_modules/wasm-mp/dist/")).map((id) => id.split("/node_modules/wasm-mp/dist/")[1]!);
  writeFileSync(join(outDir, "index.html"), appHtml("index.js", "module"));
  addUserFiles(outDir);
  const kib = (readdirSync(outDir).filter((f) => f.endsWith(".js")).reduce((n, f) => n + statSync(join(outDir, f)).size, 0) / 1024).toFixed(1);
  console.log(`Rollup ${VERSION} with nodeResolve(${browser ? "{ browser: true }" : ""}): built in ${((performance.now() - started) / 1000).toFixed(1)} s, ${output.length} chunks, ${kib} KiB unminified`);
  return { outDir, warnings, modules };
}

describe.skipIf(skip)(`the package bundled by Rollup ${VERSION} with node-resolve and no options for the package, in headless Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let app: string;
  let plain: Built;
  let browser: Built;
  let engine: Engine;
  let expected: Outcome;

  beforeAll(async () => {
    expected = await runWorkloads(mp, 3, INPUTS);
    app = makeApp("rollup");
    plain = await bundle(app, "dist", false);
    browser = await bundle(app, "dist-browser", true);
    engine = await launch("chromium");
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it("bundles with no warnings", () => {
    expect(plain.warnings).toEqual([]);
    expect(browser.warnings).toEqual([]);
  });

  it("resolves the package to its embedded entry with nodeResolve(), to its browser entry with { browser: true }", () => {
    expect(plain.modules).toContain("browser-embedded.js");
    expect(browser.modules).toContain("browser.js");
    for (const built of [plain, browser]) {
      expect(built.modules).not.toContain("index.js");
      expect(built.modules).toContain("embedded/kernels.js");
      expect(readdirSync(built.outDir).filter((f) => f.endsWith(".wasm") && f !== "faults.wasm")).toEqual([]);
    }
  });

  appChecks(() => ({ engine, outDir: plain.outDir, expected }));

  it("with nodeResolve({ browser: true }), gives Node's bits on a cross-origin isolated page from the embedded copies, fetching nothing that is not there", async () => {
    const page = await openApp(engine, browser.outDir, true);
    try {
      const got = await page.inPage(runWorkloads, 2, INPUTS);
      expect(got.sharesMemory).toBe(true);
      expect(got.pi).toEqual({ bits: expected.pi.bits, backend: "workers" });
      expect(got.heat).toEqual({ ...expected.heat, backend: "workers" });
      expect(got.primes).toEqual({ ...expected.primes, backend: "workers" });
      const files = new Set(page.requested);
      expect([...files].filter((f) => f.endsWith(".wasm") || f.includes("web-worker"))).toEqual([]);
      expect([...files].some((f) => f.endsWith(".js") && readFileSync(join(browser.outDir, f), "utf8").includes(EMBEDDED_KERNELS_MARK))).toBe(true);
      expect(page.warnings).toEqual([]);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
