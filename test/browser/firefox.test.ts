// The second browser engine: Debian's Firefox ESR, driven through WebDriver BiDi by
// puppeteer-core (never a downloaded browser), runs the checks the Chromium tests run, on a
// user's app built two ways: by Vite with no configuration (the browser entry: the .wasm and
// worker script as files) and by esbuild (the embedded entry: both inside the bundle, the
// workers started from a Blob URL).
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build as esbuild } from "esbuild";
import { build as vite } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mp from "../../dist/index.js";
import { INPUTS, addUserFiles, appChecks, appHtml, fileChecks, makeApp, runWorkloads, type Outcome } from "./bundled-app.js";
import { launch, missing, type Engine } from "./engines.js";

const skip = missing("firefox");
if (skip) console.warn(`test/browser/firefox.test.ts is skipped: ${skip}`);

describe.skipIf(skip)(`the app in headless Firefox ESR through WebDriver BiDi${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let viteApp: string;
  let esbuildApp: string;
  let engine: Engine;
  let expected: Outcome;
  let userAgent: string;

  beforeAll(async () => {
    expected = await runWorkloads(mp, 3, INPUTS);
    viteApp = makeApp("firefox-vite");
    writeFileSync(join(viteApp, "index.html"), appHtml("./index.js", "module"));
    await vite({ root: viteApp, configFile: false, logLevel: "warn" });
    addUserFiles(join(viteApp, "dist"));
    esbuildApp = makeApp("firefox-esbuild");
    await esbuild({ absWorkingDir: esbuildApp, entryPoints: ["index.js"], bundle: true, minify: true, outfile: "dist/main.js", logLevel: "warning" });
    writeFileSync(join(esbuildApp, "dist/index.html"), appHtml("main.js", "classic"));
    addUserFiles(join(esbuildApp, "dist"));
    engine = await launch("firefox");
    const page = await engine.open(`data:text/html,<body data-ready=true>`);
    userAgent = await page.evaluate<string>("navigator.userAgent");
    await page.close();
    console.log(`Firefox: ${userAgent}`);
  }, 90_000);

  afterAll(async () => {
    await engine?.close();
    for (const app of [viteApp, esbuildApp]) if (app) rmSync(app, { recursive: true, force: true });
  });

  it("is Firefox", () => {
    expect(userAgent).toMatch(/Firefox\/\d+/);
  });

  describe("built by Vite", () => {
    appChecks(() => ({ engine, outDir: join(viteApp, "dist"), expected }));
    fileChecks(() => ({ engine, outDir: join(viteApp, "dist") }));
  });

  describe("bundled by esbuild (the embedded entry)", () => {
    appChecks(() => ({ engine, outDir: join(esbuildApp, "dist"), expected }));
  });
});
