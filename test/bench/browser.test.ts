// The benchmark page of the example app (examples/browser/bench.html) in headless Chromium: the
// quick suites run on Web Workers, on a cross-origin isolated page and on a plain one, and give
// a report of the schema `wasm-mp bench --json` prints, every suite in it.
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, INSTALL_HINT, buildExample, launchChromium, serve } from "../browser/harness.js";

const SUITES = ["pi", "montecarlo", "primes", "leibniz", "heat", "map", "dispatch", "sync"];
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(`the benchmark page in headless Chromium${hasChromium ? "" : ` (skipped: ${INSTALL_HINT})`}`, () => {
  let outDir: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    outDir = await buildExample();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  for (const isolated of [true, false]) {
    it(`runs the quick suites ${isolated ? "cross-origin isolated (workers sharing memory)" : "without isolation (private memories)"} into a bench report`, async () => {
      const server = await serve(outDir, isolated);
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      try {
        await page.goto(`${server.url}bench.html`);
        await page.waitForSelector("body[data-ready=true]");
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
        const report = await page.evaluate(() => (globalThis as any).runBenchPage({ quick: true, workers: 2 }));
        expect(report.schema).toBe("wasm-mp-bench/1");
        expect(report.quick).toBe(true);
        expect(report.machine).toMatchObject({ runtime: "browser", cpuModel: null, node: null, simd: true, sharedMemory: isolated, crossOriginIsolated: isolated });
        expect(report.machine.userAgent).toMatch(/Chrom/);
        expect(report.suites.map((s: { name: string }) => s.name)).toEqual(SUITES);
        for (const s of report.suites) {
          for (const c of s.cases) {
            if (c.skipped) {
              // only the case whose lanes meet at a barrier in shared memory
              expect(isolated, c.id).toBe(false);
              expect(c.id).toBe("sync/latency-iterate-step");
              continue;
            }
            expect(c.samples, c.id).toBeGreaterThanOrEqual(8);
            expect(c.details.sampleResults).toHaveLength(c.samples);
            expect(c.nsPerItem, c.id).toBeGreaterThan(0);
          }
        }
        expect(report.suites.find((s: { name: string }) => s.name === "dispatch").cases[0].name).toBe("raw Web Worker, empty task");
        // the page shows the table and the chart, and offers the JSON
        expect(await page.$eval("#status", (e) => (e as HTMLElement).dataset.state)).toBe("done");
        expect(await page.textContent("#table")).toContain("pool, 2 workers");
        expect(await page.$$eval("#chart svg", (e) => e.length)).toBe(1);
        expect(await page.getAttribute("#download", "href")).toMatch(/^blob:/);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        await server.close();
      }
    }, 240_000);
  }
});
