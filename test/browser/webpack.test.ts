// A user's app that imports "wasm-mp" by name, bundled by webpack 5 with a configuration that
// says nothing about the package (no loaders, rules, aliases, nor anything for .wasm or workers),
// then run in headless Chromium: the worker script, the .wasm and the lazy chunks must be found
// by webpack alone, and the numbers must have the bits Node gets.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import webpack from "webpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mp from "../../dist/index.js";
import { compileFaults } from "../helpers/asc.js";
import { CHROMIUM, INSTALL_HINT, bitsHex, launchChromium, serve } from "./harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(ROOT, "dist/");

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/browser/webpack.test.ts is skipped: ${INSTALL_HINT}`);

/** The workloads' inputs, the same in the page and in Node. */
const INPUTS = { pi: { n: 123_456_789 }, heat: { size: 100, top: 100, tolerance: 1e-4 }, primes: { upTo: 1e7, sum: true } };

/** What the page and Node both report: f64s as the hex of their bits, the exact sum as a string. */
interface Outcome {
  sharesMemory: boolean;
  pi: { bits: string; backend: string };
  heat: { iterations: number; converged: boolean; bits: string; gridBits: string; backend: string };
  primes: { count: number; sum: string; last: number | null; backend: string };
}

// Runs in the page (from its source) as well as in Node, so it names nothing from this file's scope.
async function runWorkloads(m: typeof mp, workers: number, inputs: typeof INPUTS): Promise<Outcome> {
  const hex = (xs: ArrayLike<number>): string =>
    Array.from(new Uint8Array(Float64Array.from(xs).buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const pool = await m.createPool({ workers });
  try {
    const pi = await m.pi({ ...inputs.pi, pool });
    const heat = await m.heat({ ...inputs.heat, pool });
    const primes = await m.countPrimes({ ...inputs.primes, pool });
    return {
      sharesMemory: pool.workersShareMemory,
      pi: { bits: hex([pi.value]), backend: pi.backend },
      heat: { iterations: heat.iterations, converged: heat.converged, bits: hex([heat.centre, heat.maxDiff]), gridBits: hex(heat.grid), backend: heat.backend },
      primes: { count: primes.count, sum: String(primes.sum), last: primes.last, backend: primes.backend },
    };
  } finally {
    await pool.close();
  }
}

const APP_JS = `import * as mp from "wasm-mp";
globalThis.wasmMp = mp;
document.body.dataset.ready = "true";
`;
const APP_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>wasm-mp with webpack</title><script defer src="main.js"></script></head><body></body></html>
`;
// a user's host imports for test/pool/fixtures/faults.ts, loaded by URL at run time (hostImports)
const HOST_JS = `export default () => ({ env: { crash(mode) { throw new Error("host crash(" + mode + ") from host.js"); } } });
`;

interface Emitted { file: string; bytes: number; modules: string[] }
interface Bundle { outDir: string; warnings: string[]; main: Emitted; worker: Emitted; chunks: Emitted[]; wasm: Emitted[] }

/** Bundles `app`/index.js the way a user would, with webpack's defaults for everything but the entry and output. */
function bundle(app: string): Promise<Bundle> {
  const outDir = join(app, "dist");
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

describe.skipIf(!hasChromium)(`the package bundled by webpack 5 with no configuration for it, in headless Chromium${hasChromium ? "" : ` (skipped: ${INSTALL_HINT})`}`, () => {
  let app: string;
  let built: Bundle;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let expected: Outcome;

  beforeAll(async () => {
    expected = await runWorkloads(mp, 3, INPUTS);
    app = mkdtempSync(join(tmpdir(), "wasm-mp-webpack-"));
    mkdirSync(join(app, "node_modules"));
    symlinkSync(ROOT, join(app, "node_modules/wasm-mp"), "dir");
    writeFileSync(join(app, "index.js"), APP_JS);
    const started = performance.now();
    built = await bundle(app);
    const ms = performance.now() - started;
    writeFileSync(join(built.outDir, "index.html"), APP_HTML);
    writeFileSync(join(built.outDir, "host.js"), HOST_JS);
    copyFileSync(compileFaults(), join(built.outDir, "faults.wasm"));
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
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
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
      "platform/web-backend.js", "platform/inline-backend.js", "pool/jobs/parts.js", "pool/jobs/private-parts.js", "pool/map.js", "pool/user-module.js"];
    expect(built.main.modules).toContain("pool/pool.js");
    for (const module of lazy) expect(built.main.modules, module).not.toContain(module);
    for (const workload of ["workloads/pi.js", "workloads/heat.js", "workloads/primes.js"]) {
      const holding = built.chunks.filter((c) => c.modules.includes(workload));
      expect(holding.map((c) => c.file), workload).toHaveLength(1);
      expect(holding[0]).not.toBe(built.main);
    }
  });

  /** Opens the bundled app served with or without the isolation headers; collects its warnings and errors. */
  async function open(isolated: boolean) {
    const server = await serve(built.outDir, isolated);
    const page = await browser.context.newPage();
    const warnings: string[] = [];
    const errors: string[] = [];
    const requested: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname.slice(1)));
    page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { state: "attached" }); // the body is empty, so never "visible"
    // fn's source runs in the page with the bundled module and JSON arguments
    const inPage = <T, A extends unknown[]>(fn: (m: typeof mp, ...args: A) => Promise<T>, ...args: A): Promise<T> =>
      page.evaluate(`(${fn.toString()})(globalThis.wasmMp, ...${JSON.stringify(args)})`) as Promise<T>;
    return {
      page, warnings, errors, requested, inPage,
      async close() { await page.close(); await server.close(); },
    };
  }

  it("gets the known answers in Node", () => {
    expect(expected.primes).toMatchObject({ count: 664_579, sum: "3203324994356", last: 9_999_991 }); // π(10^7), Σ p ≤ 10^7
    const piValue = new Float64Array(Uint8Array.from(Buffer.from(expected.pi.bits, "hex")).buffer)[0]!;
    expect(Math.abs(piValue - Math.PI)).toBeLessThan(1e-13);
    expect(expected.pi.bits).toBe(bitsHex([piValue])); // the page's hex is the harness's
    expect(expected.heat.converged).toBe(true);
  });

  it("on a cross-origin isolated page, gives Node's bits with 2 workers sharing memory", async () => {
    const app = await open(true);
    try {
      expect(await app.page.evaluate(() => crossOriginIsolated)).toBe(true);
      const got = await app.inPage(runWorkloads, 2, INPUTS);
      expect(got.sharesMemory).toBe(true);
      expect(got.pi).toEqual({ bits: expected.pi.bits, backend: "workers" });
      expect(got.heat).toEqual({ ...expected.heat, backend: "workers" });
      expect(got.primes).toEqual({ ...expected.primes, backend: "workers" });
      expect(app.warnings).toEqual([]);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it("loads a workload's chunk on its first call, and no other workload's", async () => {
    const app = await open(true);
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
      for (const module of ["workloads/pi.js", "platform/web-backend.js", "platform/inline-backend.js", "pool/jobs/parts.js"]) {
        expect(chunksWith(module).filter((f) => loaded.has(f)), module).toHaveLength(1);
      }
      for (const module of ["workloads/heat.js", "workloads/primes.js", "workloads/montecarlo.js", "pool/jobs/private-parts.js", "pool/map.js"]) {
        expect(chunksWith(module).filter((f) => loaded.has(f)), module).toEqual([]);
      }
      const bytes = [...loaded].filter((f) => f !== built.worker.file).reduce((n, f) => n + statSync(join(built.outDir, f)).size, 0);
      console.log(`a cross-origin isolated page running pi on 2 workers loaded ${(bytes / 1024).toFixed(1)} KiB of JavaScript on its thread: ${[...loaded].join(", ")}`);
    } finally {
      await app.close();
    }
  }, 60_000);

  it("without the isolation headers, gives the same bits (pi on workers with private memories, heat inline) and warns once, naming the headers", async () => {
    const app = await open(false);
    try {
      expect(await app.page.evaluate(() => crossOriginIsolated)).toBe(false);
      const got = await app.inPage(runWorkloads, 2, INPUTS);
      expect(got.sharesMemory).toBe(false);
      expect(got.pi).toEqual({ bits: expected.pi.bits, backend: "workers" });
      expect(got.heat).toEqual({ ...expected.heat, backend: "inline" });
      expect(got.primes).toEqual({ ...expected.primes, backend: "workers" });
      expect(app.warnings).toHaveLength(1);
      expect(app.warnings[0]).toContain("Cross-Origin-Opener-Policy: same-origin");
      expect(app.warnings[0]).toContain("Cross-Origin-Embedder-Policy: require-corp");
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it("loads a user's hostImports module by URL at run time, in the workers and in the page", async () => {
    for (const isolated of [true, false]) {
      const app = await open(isolated);
      try {
        const got = await app.inPage(async (m) => {
          // the workers import host.js before they say they are ready: createPool fails otherwise
          const pool = await m.createPool({ workers: 2, module: "faults.wasm", hostImports: "host.js" });
          try {
            const doubled = await pool.apply("trapAt", [4, 0]);
            const crashed = await pool.apply("crashAt", [1, 1, 5]).then(() => "no error", (e: Error) => e.message);
            return { doubled, crashed, workers: pool.stats().perWorker.filter((w) => w.alive).length };
          } finally {
            await pool.close();
          }
        });
        expect(got.doubled, `isolated: ${isolated}`).toBe(8);
        expect(got.crashed).toContain("host crash(5) from host.js");
        expect(got.workers).toBe(2);
        expect(app.errors).toEqual([]);
      } finally {
        await app.close();
      }
    }
  }, 60_000);
});
