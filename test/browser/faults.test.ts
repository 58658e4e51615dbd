// A Web Worker that dies is replaced and its parts run again, as a dead Node worker's do
// (docs/pool.md, "Faults"): in headless Chromium, on an isolated page (workers share memory)
// and on a plain one (private memories, for range jobs).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, INSTALL_HINT, launchChromium, serve } from "./harness.js";

const hasChromium = existsSync(CHROMIUM);
const PAGE = fileURLToPath(new URL("./fault-page/", import.meta.url));

describe.skipIf(!hasChromium)(`a dead Web Worker${hasChromium ? "" : ` (skipped: ${INSTALL_HINT})`}`, () => {
  let outDir: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "wasm-mp-fault-page-"));
    await build({ root: PAGE, logLevel: "warn", optimizeDeps: { exclude: ["wasm-mp"] }, build: { outDir, emptyOutDir: true } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function onPage<T>(isolated: boolean, run: (page: import("playwright-core").Page) => Promise<T>): Promise<T> {
    const server = await serve(outDir, isolated);
    const page = await browser.context.newPage();
    try {
      await page.goto(server.url);
      await page.waitForFunction(() => typeof (window as unknown as { crashDuringMap?: unknown }).crashDuringMap === "function");
      return await run(page);
    } finally {
      await page.close();
      await server.close();
    }
  }

  it("is replaced, and the parts it held run again: map on an isolated page gives the same results", async () => {
    const r = await onPage(true, (page) => page.evaluate(() => (window as unknown as { crashDuringMap(w: number): Promise<Record<string, unknown>> }).crashDuringMap(2)));
    expect(r).toMatchObject({ same: true, shares: true, replaced: 1, started: 3 });
    expect(r.after).toBeGreaterThan(0);
  });

  it("is replaced on a page without isolation too: pi on private memories keeps its bits", async () => {
    const r = await onPage(false, (page) => page.evaluate(() => (window as unknown as { crashDuringPi(): Promise<Record<string, unknown>> }).crashDuringPi()));
    expect(r).toEqual({ same: true, shares: false, backend: "workers", replaced: 1 });
  });
});
