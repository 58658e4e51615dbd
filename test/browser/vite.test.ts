// A user's app that imports "wasm-mp" by name, built by Vite with no configuration at all (no
// vite.config, `vite build`'s defaults), then run in headless Chromium. Vite follows
// `new URL(…, import.meta.url)`: it emits the .wasm and the worker script as files of their own.
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, createLogger, createServer, version, type Rolldown } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mp from "../../dist/index.js";
import { INPUTS, addUserFiles, appChecks, appHtml, fileChecks, makeApp, runWorkloads, type Outcome } from "./bundled-app.js";
import { launch, missing, type Engine } from "./engines.js";

const skip = missing("chromium");
if (skip) console.warn(`test/browser/vite.test.ts is skipped: ${skip}`);

describe.skipIf(skip)(`the package built by Vite ${version} with no configuration, in headless Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let app: string;
  let outDir: string;
  const warnings: string[] = [];
  let modules: string[];
  let engine: Engine;
  let expected: Outcome;

  beforeAll(async () => {
    expected = await runWorkloads(mp, 3, INPUTS);
    app = makeApp("vite");
    outDir = join(app, "dist");
    writeFileSync(join(app, "index.html"), appHtml("./index.js", "module"));
    const logger = createLogger("warn");
    logger.warn = (msg) => { warnings.push(msg); };
    logger.warnOnce = (msg) => { warnings.push(msg); };
    const started = performance.now();
    const result = await build({ root: app, configFile: false, logLevel: "warn", customLogger: logger });
    const ms = performance.now() - started;
    const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => (r as Rolldown.RolldownOutput).output);
    modules = outputs.flatMap((o) => (o.type === "chunk" ? Object.keys(o.modules) : [])).filter((id) => id.includes("/node_modules/wasm-mp/dist/")).map((id) => id.split("/node_modules/wasm-mp/dist/")[1]!);
    const assets = join(outDir, "assets");
    console.log(`Vite ${version}: built in ${(ms / 1000).toFixed(1)} s: ${readdirSync(assets).map((f) => `${f} ${(statSync(join(assets, f)).size / 1024).toFixed(1)} KiB`).join(", ")}`);
    addUserFiles(outDir);
    engine = await launch("chromium");
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it("builds with no warnings", () => {
    expect(warnings).toEqual([]);
  });

  it("resolves the package to its browser entry and emits the kernels and the worker script as files", () => {
    expect(modules).toContain("browser.js");
    expect(modules).not.toContain("index.js");
    const assets = readdirSync(join(outDir, "assets"));
    expect(assets.filter((f) => /^kernels-.*\.wasm$/.test(f))).toHaveLength(1);
    expect(assets.filter((f) => /^web-worker-.*\.js$/.test(f))).toHaveLength(1);
  });

  appChecks(() => ({ engine, outDir, expected }));
  fileChecks(() => ({ engine, outDir }));

  // The dev server pre-bundles dependencies with esbuild into node_modules/.vite/deps, away from
  // the package's worker script and .wasm: the browser entry sees its URLs unrewritten and runs
  // its embedded copies (platform/browser-files.ts), so even `vite` with no configuration works.
  it("runs on Vite's dev server with no configuration, from the embedded copies, with Node's bits", async () => {
    const server = await createServer({ root: app, configFile: false, logLevel: "silent", server: { port: 0, host: "127.0.0.1" } });
    await server.listen();
    const page = await engine.open(server.resolvedUrls!.local[0]!);
    try {
      const got = await page.evaluate<{ bits: string; backend: string }>(`(async () => {
        const m = globalThis.wasmMp;
        const pool = await m.createPool({ workers: 2 });
        try {
          const r = await m.pi({ ...${JSON.stringify(INPUTS.pi)}, pool });
          return { bits: Array.from(new Uint8Array(Float64Array.of(r.value).buffer), (b) => b.toString(16).padStart(2, "0")).join(""), backend: r.backend };
        } finally {
          await pool.close();
        }
      })()`);
      expect(got).toEqual({ bits: expected.pi.bits, backend: "workers" });
      expect(page.requested.filter((f) => f.endsWith(".wasm") || f.includes("web-worker"))).toEqual([]);
      expect(page.requested.some((f) => f.includes(".vite/deps/"))).toBe(true);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  }, 60_000);
});
