// JavaScript kernels in the browser (docs/browser.md, "JavaScript kernels"): a user's app whose
// kernels are a JS module, `createPool({ module: new URL("./kernels.js", import.meta.url) })`,
// built by Vite and by webpack with no configuration, by esbuild (one classic script: the kernels
// are a file beside it, named by a path), and the same page unbundled (plain ES modules from
// node_modules). In headless Chromium and Firefox ESR, cross-origin isolated (the workers import
// the kernels and share the pool's memory) and not (the calls run in the page): apply, map,
// mapReduce, iterate on a grid in shared memory, and a throw that is a KernelError with the
// thrown error as its cause. The expected values are computed here in plain JS.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build as esbuild } from "esbuild";
import { build as viteBuild, type Rolldown } from "vite";
import webpack from "webpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as mp from "../../dist/index.js";
import { appHtml, makeApp, openApp, type AppPage } from "./bundled-app.js";
import { launch, missing, type Engine } from "./engines.js";

/** The user's kernels: self-contained (the browser imports the file as it is, at run time). */
const KERNELS_JS = `// kernels.js: the same terms as wasm kernels (numbers and pointers in, a number out)
let memory;
export function init(m) { memory = m; }
export function add(a, b) { return a + b; }
export function sumSquares(start, end) { let s = 0; for (let i = start; i < end; i++) s += i * i; return s; }
export function fail(x) { if (x === 3) throw new TypeError("no threes (" + x + ")"); return x; }
export function weighted(start, end, x, out) {
  const xs = new Float64Array(memory.buffer, x, end);
  let s = 0;
  for (let i = start; i < end; i++) s += i * xs[i];
  new Float64Array(memory.buffer, out, end / 100)[start / 100] = end - start;
  return s;
}
export function jacobiStep(lane, lanes, iteration, a, b, n) {
  const from = new Float64Array(memory.buffer, iteration % 2 === 0 ? a : b, n);
  const to = new Float64Array(memory.buffer, iteration % 2 === 0 ? b : a, n);
  const per = Math.ceil((n - 2) / lanes);
  const start = 1 + lane * per;
  const end = Math.min(start + per, n - 1);
  let diff = 0;
  for (let i = start; i < end; i++) {
    const v = (from[i - 1] + from[i + 1]) * 0.5;
    diff = Math.max(diff, Math.abs(v - from[i]));
    to[i] = v;
  }
  return diff;
}
`;

const APP_JS = `import * as mp from "wasm-mp";
globalThis.wasmMp = mp;
// the form bundlers follow: Vite emits the file (or inlines a small one as a data: URL)
globalThis.kernelsUrl = new URL("./kernels.js", import.meta.url);
document.body.dataset.ready = "true";
`;

/** One page's results: the calls' numbers, and what the KernelError of a throw carried. */
interface Got {
  kernels: string[];
  sharesMemory: boolean;
  apply: number;
  map: number[];
  mapReduce: number;
  iterate: { iterations: number; value: number; converged: boolean; lanes: number; backend: string };
  grid: number[];
  /** runRange with privateMemory: on workers even without isolation (private memories, by message). */
  range: { partials: number[]; backend: string; out: number[] };
  error: { kernelError: boolean; message: string; causeName: string; causeMessage: string; typeError: boolean; stack: string };
}

const N = 41;
const TOLERANCE = 1e-5;

// Runs in the page (from its source), so it names nothing from this file's scope.
async function runJsKernels(m: typeof mp, source: string | null, n: number, tolerance: number): Promise<Got> {
  const module = source ?? (globalThis as unknown as { kernelsUrl: URL }).kernelsUrl;
  const pool = await m.createPool({ workers: 2, module });
  try {
    const items = Array.from({ length: 100 }, (_, i) => [i, 2 * i]);
    const a = pool.alloc(Float64Array, n);
    const b = pool.alloc(Float64Array, n);
    a[0] = b[0] = 100;
    const it = await pool.iterate({ kernel: "jacobiStep", args: [a, b, n], reduce: "max", until: { below: tolerance }, maxIterations: 100_000 });
    const x = pool.alloc(Float64Array, 1000);
    for (let i = 0; i < 1000; i++) x[i] = i % 7;
    const out = pool.alloc(Float64Array, 10);
    const range = await pool.runRange({
      kernel: "weighted", args: [x.byteOffset, out.byteOffset], spec: m.partition(0, 1000, { chunkSize: 100 }),
      privateMemory: { inputs: [x], partOutputs: [{ view: out, bytesPerPart: 8 }] },
    });
    const error = await pool.map("fail", [1, 2, 3, 4], { chunkSize: 1 }).then(() => undefined, (e: Error) => e);
    const cause = error?.cause as Error | undefined;
    return {
      kernels: [...pool.kernels].sort(),
      sharesMemory: pool.workersShareMemory,
      apply: await pool.apply("add", [2, 40]),
      map: await pool.map("add", items, { chunkSize: 7 }),
      mapReduce: await pool.mapReduce("sumSquares", [0, 100_000], { chunkSize: 1000 }),
      iterate: { iterations: it.iterations, value: it.value, converged: it.converged, lanes: it.lanes, backend: it.backend },
      grid: Array.from(it.iterations % 2 === 1 ? b : a),
      range: { partials: Array.from(range.partials), backend: range.backend, out: Array.from(out) },
      error: {
        kernelError: error instanceof m.KernelError,
        message: error?.message ?? "",
        causeName: cause?.name ?? "",
        causeMessage: cause?.message ?? "",
        typeError: cause instanceof TypeError,
        stack: cause?.stack ?? "",
      },
    };
  } finally {
    await pool.close();
  }
}

/** What every page must get, computed in plain JS. */
function expected(): Omit<Got, "sharesMemory" | "iterate" | "error" | "range"> & { iterations: number; value: number; partials: number[] } {
  let from = new Float64Array(N);
  let to = new Float64Array(N);
  from[0] = to[0] = 100;
  let value = 0;
  let iterations = 0;
  do {
    value = 0;
    for (let i = 1; i < N - 1; i++) {
      const v = (from[i - 1]! + from[i + 1]!) * 0.5;
      value = Math.max(value, Math.abs(v - from[i]!));
      to[i] = v;
    }
    iterations++;
    [from, to] = [to, from];
  } while (value >= TOLERANCE);
  let sum = 0;
  for (let i = 0; i < 100_000; i++) sum += i * i; // below 2^53: exact in any order
  return {
    kernels: ["add", "fail", "jacobiStep", "sumSquares", "weighted"],
    apply: 42,
    map: Array.from({ length: 100 }, (_, i) => 3 * i),
    mapReduce: sum,
    grid: Array.from(from),
    iterations,
    value,
    // part j: Σ i·(i mod 7) over [100j, 100j + 100), integers, exact
    partials: Array.from({ length: 10 }, (_, j) => {
      let p = 0;
      for (let i = 100 * j; i < 100 * j + 100; i++) p += i * (i % 7);
      return p;
    }),
  };
}

/**
 * The page's results against plain JS. `file` (a regular expression's source) is the kernels
 * module's URL as a stack names it, `line` the line of `fail` in it; each engine writes stacks its own way.
 */
function check(got: Got, isolated: boolean, engine: Engine["name"], file: string, line: number): void {
  const want = expected();
  expect(got.sharesMemory).toBe(isolated);
  expect(got.kernels).toEqual(want.kernels);
  expect(got.apply).toBe(want.apply);
  expect(got.map).toEqual(want.map);
  expect(got.mapReduce).toBe(want.mapReduce);
  // one lane per worker where they share memory; elsewhere one lane, in the page: the same bits
  expect(got.iterate).toEqual({ iterations: want.iterations, value: want.value, converged: true, lanes: isolated ? 2 : 1, backend: isolated ? "workers" : "inline" });
  expect(got.grid).toEqual(want.grid);
  expect(got.range).toEqual({ partials: want.partials, backend: "workers", out: Array.from({ length: 10 }, () => 100) });
  expect(got.error).toMatchObject({
    kernelError: true,
    message: "kernel fail trapped in part 2: no threes (3) (item 2)",
    causeName: "TypeError",
    causeMessage: "no threes (3)",
    typeError: true,
  });
  const frame = engine === "chromium" ? String.raw`^TypeError: no threes \(3\)\n\s+at fail \(` : "^fail@";
  expect(got.error.stack).toMatch(new RegExp(`${frame}${file}:${line}:`));
  // where the kernel ran: a worker, or the page's inline backend (its runSync method; minifiers keep method names)
  if (isolated) expect(got.error.stack).not.toMatch(/runSync/);
  else expect(got.error.stack).toMatch(/runSync/);
}

const HTTP = String.raw`http://127\.0\.0\.1:\d+/`;

describe("JavaScript kernels in the browser", () => {
  let vite: string;
  let plain: string;
  let esb: string;
  let wp: string;
  let wpAssets: string[];
  let emitted: string[];

  beforeAll(async () => {
    // Vite, no configuration
    vite = makeApp("vite-js-kernels");
    writeFileSync(join(vite, "index.js"), APP_JS);
    writeFileSync(join(vite, "kernels.js"), KERNELS_JS);
    writeFileSync(join(vite, "index.html"), appHtml("./index.js", "module"));
    const result = await viteBuild({ root: vite, configFile: false, logLevel: "warn" });
    emitted = (Array.isArray(result) ? result : [result]).flatMap((r) => (r as Rolldown.RolldownOutput).output.map((o) => o.fileName));
    // a kernels file beside the app, named by a path (a file Vite did not see, or one too large to inline)
    copyFileSync(join(vite, "kernels.js"), join(vite, "dist", "kernels-file.js"));

    // unbundled: the package's browser entry imported from node_modules as a plain ES module
    plain = makeApp("plain-js-kernels");
    writeFileSync(join(plain, "kernels.js"), KERNELS_JS);
    writeFileSync(join(plain, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">
import * as mp from "./node_modules/wasm-mp/dist/browser.js";
globalThis.wasmMp = mp;
globalThis.kernelsUrl = new URL("./kernels.js", import.meta.url);
document.body.dataset.ready = "true";
</script></head><body></body></html>
`);

    // esbuild, one classic script (the embedded entry: workers from a blob: URL); the kernels are a file beside it
    esb = makeApp("esbuild-js-kernels");
    writeFileSync(join(esb, "index.js"), `import * as mp from "wasm-mp";\nglobalThis.wasmMp = mp;\ndocument.body.dataset.ready = "true";\n`);
    await esbuild({ absWorkingDir: esb, entryPoints: ["index.js"], bundle: true, minify: true, outfile: "dist/main.js", logLevel: "silent" });
    writeFileSync(join(esb, "dist", "index.html"), appHtml("main.js", "classic"));
    writeFileSync(join(esb, "dist", "kernels.js"), KERNELS_JS);

    // webpack 5, entry and output only: its worker is a classic script, which import()s the kernels all the same
    wp = makeApp("webpack-js-kernels");
    writeFileSync(join(wp, "index.js"), APP_JS);
    writeFileSync(join(wp, "kernels.js"), KERNELS_JS);
    wpAssets = await new Promise<string[]>((resolve, reject) => {
      const compiler = webpack({ mode: "production", context: wp, entry: "./index.js", output: { path: join(wp, "dist") } });
      compiler.run((err, stats) => {
        compiler.close(() => {});
        if (err || !stats || stats.hasErrors()) return reject(err ?? new Error(stats?.toString({ all: false, errors: true }) ?? "webpack gave no stats"));
        resolve(Object.keys(stats.compilation.assets));
      });
    });
    writeFileSync(join(wp, "dist", "index.html"), appHtml("main.js", "classic"));

  }, 180_000);

  afterAll(() => {
    for (const dir of [vite, plain, esb, wp]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("Vite inlines the small kernels module as a data: URL (under its assetsInlineLimit, 4 KiB)", () => {
    const scripts = emitted.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(vite, "dist", f), "utf8"));
    expect(scripts.filter((s) => s.includes("new URL(`data:text/javascript;base64,"))).toHaveLength(1);
  });

  it("webpack emits the kernels module as an asset of its own, [hash].js (minified, still an ES module)", () => {
    const kernels = wpAssets.filter((f) => /^[0-9a-f]{20}\.js$/.test(f));
    expect(kernels).toHaveLength(1);
    expect(readFileSync(join(wp, "dist", kernels[0]!), "utf8")).toMatch(/export function jacobiStep\(/);
  });

  for (const name of ["chromium", "firefox"] as const) {
    const skip = missing(name);
    if (skip) console.warn(`test/browser/js-kernels.test.ts: ${name} is skipped: ${skip}`);

    describe.skipIf(skip)(`in headless ${name === "chromium" ? "Chromium" : "Firefox ESR"}${skip ? ` (skipped: ${skip})` : ""}`, () => {
      let engine: Engine;
      beforeAll(async () => { engine = await launch(name); }, 60_000);
      afterAll(async () => { await engine?.close(); });

      /** Opens a built app, runs the kernels with `source` as the module (null: the app's new URL), checks. */
      async function runs(dir: string, isolated: boolean, source: string | null, file: string, line: number): Promise<AppPage> {
        const app = await openApp(engine, dir, isolated);
        try {
          check(await app.inPage(runJsKernels, source, N, TOLERANCE), isolated, name, file, line);
          expect(app.errors).toEqual([]);
          return app;
        } finally {
          await app.close();
        }
      }

      for (const isolated of [true, false]) {
        const what = isolated ? "cross-origin isolated" : "not isolated";

        it(`Vite, ${what}: new URL("./kernels.js", import.meta.url) runs apply, map, mapReduce, iterate, and a throw is a KernelError`, async () => {
          // Firefox ESR 140 names a data: module's frames in a worker with an empty URL ("fail@:6:46")
          const dataUrl = "data:text/javascript;base64,[A-Za-z0-9+/=]+";
          await runs(join(vite, "dist"), isolated, null, name === "firefox" && isolated ? `(?:${dataUrl})?` : dataUrl, 6);
        }, 60_000);

        it(`Vite, ${what}: a kernels file named by a path`, async () => {
          const app = await runs(join(vite, "dist"), isolated, "kernels-file.js", `${HTTP}kernels-file\\.js`, 6);
          expect(app.requested).toContain("kernels-file.js");
        }, 60_000);

        it(`unbundled ES modules, ${what}`, async () => {
          await runs(plain, isolated, null, `${HTTP}kernels\\.js`, 6);
        }, 60_000);

        it(`webpack (a classic worker script), ${what}: new URL("./kernels.js", import.meta.url)`, async () => {
          await runs(join(wp, "dist"), isolated, null, `${HTTP}[0-9a-f]{20}\\.js`, 1);
        }, 60_000);

        it(`esbuild (embedded entry, workers from a blob: URL), ${what}: the kernels file by path`, async () => {
          await runs(join(esb, "dist"), isolated, "kernels.js", `${HTTP}kernels\\.js`, 6);
        }, 60_000);
      }

      it("a kernels URL that does not load fails createPool, naming the module", async () => {
        const app = await openApp(engine, join(vite, "dist"), true);
        try {
          const message = await app.inPage(async (m) => m.createPool({ workers: 1, module: "missing-kernels.js" }).then(() => "started", (e: Error) => `${e.name}: ${e.message}`));
          expect(message).toMatch(/^InvalidArgumentError: module must be a JS module of kernels that can be imported .*missing-kernels\.js/);
        } finally {
          await app.close();
        }
      }, 60_000);
    });
  }
});
