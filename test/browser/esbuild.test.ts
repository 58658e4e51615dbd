// A user's app that imports "wasm-mp" by name, bundled by esbuild as its docs show
// (`esbuild index.js --bundle --minify --outfile=dist/main.js`: one classic script, no options
// about the package), then run in headless Chromium. esbuild does not follow
// `new URL(…, import.meta.url)`; it resolves the package's "browser" condition (it sets no mode
// condition) to the embedded entry, whose worker script and .wasm are inside the bundle.
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, version } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mp from "../../dist/index.js";
import { INPUTS, addUserFiles, appChecks, appHtml, makeApp, openApp, runWorkloads, type Outcome } from "./bundled-app.js";
import { launch, missing, type Engine } from "./engines.js";

const skip = missing("chromium");
if (skip) console.warn(`test/browser/esbuild.test.ts is skipped: ${skip}`);

describe.skipIf(skip)(`the package bundled by esbuild ${version} with no options for it, in headless Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let app: string;
  let outDir: string;
  let warnings: string[];
  let inputs: string[];
  let engine: Engine;
  let expected: Outcome;

  beforeAll(async () => {
    expected = await runWorkloads(mp, 3, INPUTS);
    app = makeApp("esbuild");
    outDir = join(app, "dist");
    const started = performance.now();
    const result = await build({ absWorkingDir: app, entryPoints: ["index.js"], bundle: true, minify: true, outfile: "dist/main.js", metafile: true, logLevel: "silent" });
    const ms = performance.now() - started;
    warnings = result.warnings.map((w) => w.text);
    inputs = Object.keys(result.metafile.inputs);
    writeFileSync(join(outDir, "index.html"), appHtml("main.js", "classic"));
    console.log(`esbuild ${version}: built in ${ms.toFixed(0)} ms: ${readdirSync(outDir).map((f) => `${f} ${(statSync(join(outDir, f)).size / 1024).toFixed(1)} KiB`).join(", ")}`);
    addUserFiles(outDir);
    engine = await launch("chromium");
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it("bundles with no warnings", () => {
    expect(warnings).toEqual([]);
  });

  it("resolves the package to its embedded browser entry, not the Node entry nor the one with file URLs", () => {
    const pkg = inputs.filter((f) => f.startsWith("node_modules/wasm-mp/dist/")).map((f) => f.slice("node_modules/wasm-mp/dist/".length));
    expect(pkg).toContain("browser-embedded.js");
    expect(pkg).toContain("embedded/kernels.js");
    expect(pkg).toContain("embedded/worker.js");
    for (const other of ["index.js", "browser.js", "platform/browser-files.js", "kernels/url.js", "platform/node.js", "pool/node-backend.js"]) expect(pkg).not.toContain(other);
  });

  it("emits one script, with the worker script and the kernels inside it", () => {
    expect(readdirSync(outDir).filter((f) => f !== "index.html" && f !== "host.js" && f !== "faults.wasm")).toEqual(["main.js"]);
  });

  appChecks(() => ({ engine, outDir, expected }));

  it("starts its workers from a blob: URL: a Content-Security-Policy that allows worker-src blob: runs them, one that does not fails createPool saying so", async () => {
    const startPool = async (m: typeof mp): Promise<string> => {
      try {
        const pool = await m.createPool({ workers: 2 });
        const backend = (await m.pi({ n: 1e8, pool })).backend;
        await pool.close();
        return backend;
      } catch (e) {
        return (e as Error).message;
      }
    };
    const csp = (workers: string) => ({ "Content-Security-Policy": `default-src 'self'; img-src data:; script-src 'self' 'wasm-unsafe-eval'; worker-src ${workers}` });
    const allowed = await openApp(engine, outDir, true, csp("'self' blob:"));
    try {
      expect(await allowed.inPage(startPool)).toBe("workers");
      expect(allowed.errors).toEqual([]);
    } finally {
      await allowed.close();
    }
    const refused = await openApp(engine, outDir, true, csp("'self'"));
    try {
      expect(await refused.inPage(startPool)).toMatch(/Web Worker 0 could not start \(it runs from a blob: URL; does the page's Content-Security-Policy allow worker-src blob:\?\)/);
    } finally {
      await refused.close();
    }
  }, 60_000);
});
