// A user's app that imports "wasm-mp" by name, built by Parcel 2 with no configuration
// (`parcel build index.html`: no .parcelrc, nothing in package.json), then run in headless
// Chromium. Parcel reads the package's "browser" field (it resolves "exports" only when an app
// opts in) and follows `new URL(…, import.meta.url)`: it emits the .wasm and the worker script.
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mp from "../../dist/index.js";
import { INPUTS, ROOT, addUserFiles, appChecks, appHtml, fileChecks, makeApp, runWorkloads, type Outcome } from "./bundled-app.js";
import { launch, missing, type Engine } from "./engines.js";

const skip = missing("chromium");
if (skip) console.warn(`test/browser/parcel.test.ts is skipped: ${skip}`);

const PARCEL = join(ROOT, "node_modules/.bin/parcel");
const version = (JSON.parse(readFileSync(join(ROOT, "node_modules/parcel/package.json"), "utf8")) as { version: string }).version;

describe.skipIf(skip)(`the package built by Parcel ${version} with no configuration, in headless Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let app: string;
  let outDir: string;
  let log: string;
  let appPackage: string;
  let engine: Engine;
  let expected: Outcome;

  beforeAll(async () => {
    expected = await runWorkloads(mp, 3, INPUTS);
    app = makeApp("parcel");
    outDir = join(app, "dist");
    writeFileSync(join(app, "index.html"), appHtml("./index.js", "module"));
    appPackage = readFileSync(join(app, "package.json"), "utf8");
    const started = performance.now();
    // the CLI as a user runs it; --no-autoinstall so that a resolution gone wrong fails here
    // rather than installing polyfills from the registry; --no-cache leaves nothing behind
    const { stdout, stderr } = await promisify(execFile)(PARCEL, ["build", "index.html", "--no-cache", "--no-autoinstall"], { cwd: app, env: { ...process.env, NO_COLOR: "1" } });
    log = stdout + stderr;
    console.log(`Parcel ${version}: built in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      readdirSync(outDir).filter((f) => !f.endsWith(".map")).map((f) => `${f} ${(statSync(join(outDir, f)).size / 1024).toFixed(1)} KiB`).join(", "));
    addUserFiles(outDir);
    engine = await launch("chromium");
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it("builds with no warnings, and changes nothing in the app's package.json", () => {
    expect(log).not.toMatch(/warn|⚠|error/i);
    expect(readFileSync(join(app, "package.json"), "utf8")).toBe(appPackage);
  });

  it("emits the kernels as a .wasm file with the bytes of build/kernels.wasm, and the worker script", () => {
    const wasm = readdirSync(outDir).filter((f) => /^kernels\..*\.wasm$/.test(f));
    expect(wasm).toHaveLength(1);
    expect(readFileSync(join(outDir, wasm[0]!)).equals(readFileSync(join(ROOT, "build/kernels.wasm")))).toBe(true);
    expect(readdirSync(outDir).filter((f) => /^web-worker\..*\.js$/.test(f))).toHaveLength(1);
  });

  appChecks(() => ({ engine, outDir, expected }));
  fileChecks(() => ({ engine, outDir }));
});
