// maxTasksPerWorker in browsers (docs/pool.md): a Web Worker that spent its tasks is replaced in
// its slot, on an isolated page (shared memory) and on a plain one (private memories), in headless
// Chromium; the results are those of a pool without it.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, INSTALL_HINT, launchChromium, serve } from "../browser/harness.js";

const hasChromium = existsSync(CHROMIUM);
const PAGE = fileURLToPath(new URL("./max-tasks-page/", import.meta.url));

describe.skipIf(!hasChromium)(`maxTasksPerWorker in Web Workers${hasChromium ? "" : ` (skipped: ${INSTALL_HINT})`}`, () => {
  let outDir: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "wasm-mp-max-tasks-page-"));
    await build({ root: PAGE, logLevel: "warn", optimizeDeps: { exclude: ["wasm-mp"] }, build: { outDir, emptyOutDir: true } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function onPage<T>(isolated: boolean, name: string): Promise<T> {
    const server = await serve(outDir, isolated);
    const page = await browser.context.newPage();
    try {
      await page.goto(server.url);
      await page.waitForFunction((n) => typeof (window as unknown as Record<string, unknown>)[n] === "function", name);
      return await page.evaluate((n) => (window as unknown as Record<string, () => Promise<T>>)[n]!(), name);
    } finally {
      await page.close();
      await server.close();
    }
  }

  it("on an isolated page, replaces a worker after 3 calls (or 3 map parts), results unchanged", async () => {
    const r = await onPage<Record<string, unknown>>(true, "recycledCalls");
    expect(r).toMatchObject({ shares: true, sameApplies: true, appliesRun: 12, mostPerWorker: 3, sameMap: true });
    expect(r.startedAfterApplies).toBeGreaterThanOrEqual(4);
    // 200 parts at most 3 per worker: at least 67 workers
    expect(r.startedAfterMap).toBeGreaterThanOrEqual(67);
  }, 120_000);

  it("on a plain page (private memories), pi on workers retired after each task keeps its bits", async () => {
    const r = await onPage<Record<string, unknown>>(false, "recycledPi");
    expect(r).toMatchObject({ same: true, shares: false, backend: "workers" });
    expect(r.replaced).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
