// What the bundler tests (webpack, Vite, esbuild, Rollup, Parcel) and the Firefox test share: a
// user's app that imports "wasm-mp" by name, the package installed into it from `npm pack`, and
// the checks its page must pass in a browser: Node's bits for π, the heat plate and the prime
// count, with and without cross-origin isolation, and a user's hostImports module loaded by URL.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import type * as mp from "../../dist/index.js";
import { compileFaults } from "../helpers/asc.js";
import { bitsHex, serve } from "./harness.js";
import type { Engine } from "./engines.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The workloads' inputs, the same in the page and in Node. */
export const INPUTS = { pi: { n: 123_456_789 }, heat: { size: 100, top: 100, tolerance: 1e-4 }, primes: { upTo: 1e7, sum: true } };

/** What the page and Node both report: f64s as the hex of their bits, the exact sum as a string. */
export interface Outcome {
  sharesMemory: boolean;
  pi: { bits: string; backend: string };
  heat: { iterations: number; converged: boolean; bits: string; gridBits: string; backend: string };
  primes: { count: number; sum: string; last: number | null; backend: string };
}

// Runs in the page (from its source) as well as in Node, so it names nothing from this file's scope.
export async function runWorkloads(m: typeof mp, workers: number, inputs: typeof INPUTS): Promise<Outcome> {
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

/** The app's code: all a user writes. */
export const APP_JS = `import * as mp from "wasm-mp";
globalThis.wasmMp = mp;
document.body.dataset.ready = "true";
`;

/** The app's page, loading `script` as a classic (deferred) script or as a module. */
export function appHtml(script: string, type: "classic" | "module"): string {
  const tag = type === "module" ? `<script type="module" src="${script}"></script>` : `<script defer src="${script}"></script>`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>wasm-mp app</title>${tag}</head><body></body></html>
`;
}

// a user's host imports for test/pool/fixtures/faults.ts, loaded by URL at run time (hostImports)
const HOST_JS = `export default () => ({ env: { crash(mode) { throw new Error("host crash(" + mode + ") from host.js"); } } });
`;

/** Adds, beside a built app, what the hostImports check loads by URL: host.js and faults.wasm. */
export function addUserFiles(outDir: string): void {
  writeFileSync(join(outDir, "host.js"), HOST_JS);
  copyFileSync(compileFaults(), join(outDir, "faults.wasm"));
}

let packed: string | undefined;

/**
 * A new app folder with index.js (APP_JS), a package.json, and wasm-mp installed in
 * node_modules as npm would install it: the files of `npm pack` (of the built dist/), unpacked.
 */
export function makeApp(name: string): string {
  if (!packed) {
    const into = mkdtempSync(join(tmpdir(), "wasm-mp-pack-"));
    process.once("exit", () => rmSync(into, { recursive: true, force: true }));
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", into], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    packed = join(into, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
  }
  const app = mkdtempSync(join(tmpdir(), `wasm-mp-${name}-`));
  const pkg = join(app, "node_modules/wasm-mp");
  mkdirSync(pkg, { recursive: true });
  execFileSync("tar", ["-xzf", packed, "-C", pkg, "--strip-components=1"]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: `${name}-app`, private: true, type: "module", dependencies: { "wasm-mp": "*" } }, null, 2));
  writeFileSync(join(app, "index.js"), APP_JS);
  return app;
}

/** The page of a built app, opened in an engine, with what it logged and requested. */
export interface AppPage {
  /** Evaluates fn's source in the page with the bundled module (globalThis.wasmMp) and JSON arguments. */
  inPage<T, A extends unknown[]>(fn: (m: typeof mp, ...args: A) => Promise<T>, ...args: A): Promise<T>;
  evaluate<T>(expression: string): Promise<T>;
  warnings: string[];
  errors: string[];
  /** Paths the page requested, without the leading slash. */
  requested: string[];
  close(): Promise<void>;
}

/** Serves `outDir` (with or without the isolation headers, and any other `headers`) and opens its index.html in the engine. */
export async function openApp(engine: Engine, outDir: string, isolated: boolean, headers?: Record<string, string>): Promise<AppPage> {
  const server = await serve(outDir, isolated, { headers });
  try {
    const page = await engine.open(server.url);
    return {
      ...page,
      inPage: (fn, ...args) => page.evaluate(`(${fn.toString()})(globalThis.wasmMp, ...${JSON.stringify(args)})`),
      async close() { await page.close(); await server.close(); },
    };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/**
 * The checks every bundled app passes in a browser, as `it`s of the calling describe. `app()`
 * gives the engine and the built app's folder once the describe's beforeAll has run; `expected`
 * is what Node gets (runWorkloads on 3 workers).
 */
export function appChecks(context: () => { engine: Engine; outDir: string; expected: Outcome }): void {
  it("gets the known answers in Node", () => {
    const { expected } = context();
    expect(expected.primes).toMatchObject({ count: 664_579, sum: "3203324994356", last: 9_999_991 }); // π(10^7), Σ p ≤ 10^7
    const piValue = new Float64Array(Uint8Array.from(Buffer.from(expected.pi.bits, "hex")).buffer)[0]!;
    expect(Math.abs(piValue - Math.PI)).toBeLessThan(1e-13);
    expect(expected.pi.bits).toBe(bitsHex([piValue])); // the page's hex is the harness's
    expect(expected.heat.converged).toBe(true);
  });

  it("on a cross-origin isolated page, gives Node's bits with 2 workers sharing memory", async () => {
    const { engine, outDir, expected } = context();
    const app = await openApp(engine, outDir, true);
    try {
      expect(await app.evaluate("crossOriginIsolated")).toBe(true);
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

  it("without the isolation headers, gives the same bits (pi on workers with private memories, heat inline) and warns once, naming the headers", async () => {
    const { engine, outDir, expected } = context();
    const app = await openApp(engine, outDir, false);
    try {
      expect(await app.evaluate("crossOriginIsolated")).toBe(false);
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
    const { engine, outDir } = context();
    for (const isolated of [true, false]) {
      const app = await openApp(engine, outDir, isolated);
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
}

/** base64 of the .wasm's magic and version: found only in the embedded copy of the kernels. */
export const EMBEDDED_KERNELS_MARK = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]).toString("base64").slice(0, 10);

/**
 * For the bundlers that follow `new URL(…, import.meta.url)`: on an isolated page running π, the
 * page fetches the emitted .wasm and worker script and none of the embedded copies.
 */
export function fileChecks(context: () => { engine: Engine; outDir: string }): void {
  it("runs the emitted .wasm and worker script, not the embedded copies", async () => {
    const { engine, outDir } = context();
    const app = await openApp(engine, outDir, true);
    try {
      const backend = await app.inPage(async (m, inputs) => {
        const pool = await m.createPool({ workers: 2 });
        try {
          return (await m.pi({ ...inputs.pi, pool })).backend;
        } finally {
          await pool.close();
        }
      }, INPUTS);
      expect(backend).toBe("workers");
      const files = [...new Set(app.requested)].filter((f) => f !== "");
      expect(files.filter((f) => f.endsWith(".wasm"))).toHaveLength(1);
      const scripts = files.filter((f) => f.endsWith(".js"));
      expect(scripts.some((f) => readFileSync(join(outDir, f), "utf8").includes("onmessage")), "a worker script").toBe(true);
      for (const f of scripts) expect(readFileSync(join(outDir, f), "utf8"), f).not.toContain(EMBEDDED_KERNELS_MARK);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
}
