// A user's app that imports "wasm-mp" by name, bundled by webpack 5 with a configuration that
// says nothing about the package (no loaders, rules, aliases, nor anything for .wasm or workers),
// then run in headless Chromium: the worker script, the .wasm and the lazy chunks must be found
// by webpack alone, and the numbers must have the bits Node gets.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import webpack from "webpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mp from "../../dist/index.js";
import { INPUTS, ROOT, addUserFiles, appChecks, appHtml, fileChecks, makeApp, openApp, runWorkloads, type Outcome } from "./bundled-app.js";
import { launch, missing, type Engine } from "./engines.js";

const skip = missing("chromium");
if (skip) console.warn(`test/browser/webpack.test.ts is skipped: ${skip}`);

interface Emitted { file: string; bytes: number; modules: string[] }
interface Bundle { outDir: string; warnings: string[]; main: Emitted; worker: Emitted; chunks: Emitted[]; wasm: Emitted[] }

/** Bundles `app`/index.js the way a user would, with webpack's defaults for everything but the entry and output. */
function bundle(app: string): Promise<Bundle> {
  const outDir = join(app, "dist");
  const DIST = join(app, "node_modules/wasm-mp/dist/");
  const compiler = webpack({ mode: "production", context: app, entry: "./index.js", output: { path: outDir } });
  return new Promise((resolve, reject) => {
    compiler.run((err, stats) => {
      compiler.close(() => {});
      if (err || !stats) return reject(err ?? new Error("webpack gave no stats"));
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      const { compilation } = stats;
      const resources = (chunk: webpack.Chunk): string[] => {
        const out: string[] = [];
        const visit = (module: webpack.Module): void => {
          const inner = (module as { modules?: webpack.Module[] }).modules; // a concatenated module
          if (inner) inner.forEach(visit);
          const resource = (module as { resource?: string }).resource;
          if (resource?.startsWith(DIST)) out.push(resource.slice(DIST.length));
        };
        for (const module of compilation.chunkGraph.getChunkModulesIterable(chunk)) visit(module);
        return out.sort();
      };
      const chunks: Emitted[] = [];
      let main: Emitted | undefined;
      for (const chunk of compilation.chunks) {
        const files = [...chunk.files].filter((f) => f.endsWith(".js"));
        if (files.length !== 1) return reject(new Error(`chunk ${String(chunk.id)} has the JS files ${files.join(", ")}`));
        const emitted = { file: files[0]!, bytes: statSync(join(outDir, files[0]!)).size, modules: resources(chunk) };
        if (chunk.name === "main") main = emitted;
        chunks.push(emitted);
      }
      const workers = chunks.filter((c) => c.modules.includes("platform/web-worker.js"));
      if (!main || workers.length !== 1) return reject(new Error("no entry chunk, or not one chunk with the worker"));
      const wasm = readdirSync(outDir).filter((f) => f.endsWith(".wasm")).map((file) => ({ file, bytes: statSync(join(outDir, file)).size, modules: [] }));
      resolve({ outDir, warnings: stats.compilation.warnings.map((w) => w.message), main, worker: workers[0]!, chunks, wasm });
    });
  });
}

describe.skipIf(skip)(`the package bundled by webpack 5 with no configuration for it, in headless Chromium${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let app: string;
  let built: Bundle;
  let engine: Engine;
  let expected: Outcome;

  beforeAll(async () => {
    expected = await runWorkloads(mp, 3, INPUTS);
    app = makeApp("webpack");
    const started = performance.now();
    built = await bundle(app);
    const ms = performance.now() - started;
    writeFileSync(join(built.outDir, "index.html"), appHtml("main.js", "classic"));
    addUserFiles(built.outDir);
    const line = (e: Emitted): string => `  ${e.file.padEnd(26)} ${(e.bytes / 1024).toFixed(1).padStart(5)} KiB  ${e.modules.join(", ")}`;
    const total = (es: Emitted[]): string => (es.reduce((n, e) => n + e.bytes, 0) / 1024).toFixed(1);
    const lazy = built.chunks.filter((c) => c !== built.main && c !== built.worker);
    console.log([
      `webpack ${webpack.version}, production build in ${(ms / 1000).toFixed(1)} s:`,
      `entry chunk:`, line(built.main),
      `worker chunk:`, line(built.worker),
      `${lazy.length} chunks loaded on first use, ${total(lazy)} KiB:`, ...lazy.sort((a, b) => b.bytes - a.bytes).map(line),
      `kernels:`, ...built.wasm.map(line),
    ].join("\n"));
    engine = await launch("chromium");
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it("bundles with no warnings", () => {
    expect(built.warnings).toEqual([]);
  });

  it("resolves the package to its browser entry", () => {
    expect(built.main.modules).toContain("browser.js");
    expect(built.chunks.flatMap((c) => c.modules)).not.toContain("index.js");
  });

  it("emits the kernels as a .wasm file with the bytes of build/kernels.wasm", () => {
    expect(built.wasm).toHaveLength(1);
    expect(readFileSync(join(built.outDir, built.wasm[0]!.file)).equals(readFileSync(join(ROOT, "build/kernels.wasm")))).toBe(true);
  });

  it("emits the worker script as a chunk of its own, apart from the entry chunk", () => {
    expect(built.worker.file).not.toBe(built.main.file);
    expect(built.main.modules).not.toContain("platform/web-worker.js");
    expect(built.worker.modules).toContain("platform/task.js");
  });

  it("leaves the dynamically imported modules out of the entry chunk, each workload in a chunk loaded on first use", () => {
    const lazy = ["workloads/pi.js", "workloads/heat.js", "workloads/primes.js", "workloads/montecarlo.js", "workloads/leibniz.js",
      "platform/web-backend.js", "platform/inline-backend.js", "pool/jobs/parts.js", "pool/jobs/private-parts.js", "pool/map.js", "pool/user-module.js",
      "platform/browser-files.js", "platform/browser-embedded.js", "embedded/kernels.js", "embedded/worker.js"];
    expect(built.main.modules).toContain("pool/pool.js");
    for (const module of lazy) expect(built.main.modules, module).not.toContain(module);
    for (const workload of ["workloads/pi.js", "workloads/heat.js", "workloads/primes.js"]) {
      const holding = built.chunks.filter((c) => c.modules.includes(workload));
      expect(holding.map((c) => c.file), workload).toHaveLength(1);
      expect(holding[0]).not.toBe(built.main);
    }
  });

  appChecks(() => ({ engine, outDir: built.outDir, expected }));
  fileChecks(() => ({ engine, outDir: built.outDir }));

  it("loads a workload's chunk on its first call, and no other workload's", async () => {
    const app = await openApp(engine, built.outDir, true);
    try {
      // a module may be copied into more than one lazy chunk (webpack makes no shared chunk under 20 KB)
      const chunksWith = (module: string): string[] => built.chunks.filter((c) => c !== built.worker && c.modules.includes(module)).map((c) => c.file);
      expect(app.requested.filter((f) => f.endsWith(".js"))).toEqual([built.main.file]);
      const backend = await app.inPage(async (m, inputs) => {
        const pool = await m.createPool({ workers: 2 });
        try {
          return (await m.pi({ ...inputs.pi, pool })).backend;
        } finally {
          await pool.close();
        }
      }, INPUTS);
      expect(backend).toBe("workers");
      const loaded = new Set(app.requested.filter((f) => f.endsWith(".js")));
      expect(loaded).toContain(built.worker.file);
      for (const module of ["workloads/pi.js", "platform/web-backend.js", "platform/inline-backend.js", "pool/jobs/parts.js", "platform/browser-files.js"]) {
        expect(chunksWith(module).filter((f) => loaded.has(f)), module).toHaveLength(1);
      }
      for (const module of ["workloads/heat.js", "workloads/primes.js", "workloads/montecarlo.js", "pool/jobs/private-parts.js", "pool/map.js",
        "platform/browser-embedded.js", "embedded/kernels.js", "embedded/worker.js"]) {
        expect(chunksWith(module).filter((f) => loaded.has(f)), module).toEqual([]);
      }
      const bytes = [...loaded].filter((f) => f !== built.worker.file).reduce((n, f) => n + statSync(join(built.outDir, f)).size, 0);
      console.log(`a cross-origin isolated page running pi on 2 workers loaded ${(bytes / 1024).toFixed(1)} KiB of JavaScript on its thread: ${[...loaded].join(", ")}`);
    } finally {
      await app.close();
    }
  }, 60_000);
});
