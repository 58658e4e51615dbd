// Size budgets: what a web page downloads.
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, type Rolldown } from "vite";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const KiB = 1024;

describe("sizes", () => {
  it("the kernels' .wasm is at most 64 KiB", () => {
    expect(statSync(`${root}/build/kernels.wasm`).size).toBeLessThanOrEqual(64 * KiB);
  });

  it("the browser entry bundles, minified, to at most 30 KiB of JavaScript, and its worker script to at most 30 KiB", async () => {
    const result = await build({
      configFile: false,
      logLevel: "silent",
      root,
      build: {
        write: false,
        minify: true,
        assetsInlineLimit: 0,
        rollupOptions: { input: `${root}/dist/browser.js`, preserveEntrySignatures: "strict" },
      },
    });
    const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => (r as Rolldown.RolldownOutput).output);
    const size = (o: (typeof outputs)[number]): number => Buffer.byteLength(o.type === "chunk" ? o.code : o.source);
    const entry = outputs.filter((o) => o.type === "chunk");
    const worker = outputs.filter((o) => o.fileName.endsWith(".js") && o.type === "asset");
    // the entry is one chunk (no code splitting), the worker is emitted as its own script
    expect(entry.map((o) => o.fileName)).toHaveLength(1);
    expect(worker.map((o) => o.fileName)).toEqual([expect.stringMatching(/web-worker/)]);
    expect(size(entry[0]!)).toBeLessThanOrEqual(30 * KiB);
    expect(size(worker[0]!)).toBeLessThanOrEqual(30 * KiB);
    // the tinypool backend stays out of the browser bundle
    expect(entry[0]!.type === "chunk" && entry[0]!.code).not.toMatch(/worker_threads|tinypool/i);
    console.log(`browser entry: ${(size(entry[0]!) / KiB).toFixed(1)} KiB minified, worker: ${(size(worker[0]!) / KiB).toFixed(1)} KiB`);
  }, 60_000);
});
