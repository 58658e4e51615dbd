// The example app (examples/browser), built with Vite and run in headless Chromium: every
// workload's numbers must have the bits Node gets, on a cross-origin isolated page (workers on
// one shared memory) and on a plain one (private memories or the calling thread, one warning).
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import * as mp from "../../dist/index.js";
import { workloads } from "../../examples/browser/workloads.js";
import { CHROMIUM, INSTALL_HINT, buildExample, launchChromium, serve } from "./harness.js";
import { fromBitsHex, primesUpTo, serialHeat } from "../helpers/known-answers.js";
import { keyOf, referenceHitsFast } from "../helpers/philox.js";

interface Case {
  /** The workload's id in examples/browser/workloads.js, whose run() and check() Node runs too. */
  workload: string;
  /** Its inputs on the page, as typed. */
  params: Record<string, string>;
  /**
   * The page's backend for this case: "workers" (sharing memory on an isolated page, private
   * memories elsewhere) or "inline" (too small for workers, or needing shared memory it lacks).
   */
  backend: { isolated: string; notIsolated: string };
}

// Every workload of the example has cases here (sizes that run in well under a second).
const CASES: Case[] = [
  { workload: "pi", params: { n: "123456789" }, backend: { isolated: "workers", notIsolated: "workers" } },
  { workload: "pi", params: { n: "100000" }, backend: { isolated: "inline", notIsolated: "inline" } }, // under the inline threshold
  { workload: "montecarlo", params: { samples: "20000000", seed: "12345" }, backend: { isolated: "workers", notIsolated: "workers" } },
  { workload: "leibniz", params: { to: "3000000", digits: "40" }, backend: { isolated: "workers", notIsolated: "workers" } },
  { workload: "count-primes", params: { upTo: "1e7" }, backend: { isolated: "workers", notIsolated: "workers" } },
  // the list is written into the pool's memory: without shared memory the page's thread makes it
  { workload: "list-primes", params: { upTo: "1e7" }, backend: { isolated: "workers", notIsolated: "inline" } },
  // to convergence (10,910 sweeps); the members meet at a barrier in shared memory after every
  // sweep, so without shared memory the page's thread runs the solve as one member
  { workload: "heat", params: { size: "100", top: "100", tolerance: "1e-4", maxIterations: "100000" }, backend: { isolated: "workers", notIsolated: "inline" } },
];

const parse = (text: string): number => Number(text.replaceAll("_", ""));

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/browser/e2e.test.ts is skipped: ${INSTALL_HINT}`);

interface PageResult { state: string; check?: string; backend?: string; workers?: string; text: string }

/** Fills in the case's inputs, picks the worker count, clicks the workload's button, waits for its result. */
async function runCase(page: Page, c: Case, workers: number): Promise<PageResult> {
  await page.selectOption("#workers", String(workers));
  for (const [name, value] of Object.entries(c.params)) await page.fill(`#param-${c.workload}-${name}`, value);
  await page.click(`#run-${c.workload}`);
  const output = `#result-${c.workload}`;
  await page.waitForFunction((sel) => {
    const state = document.querySelector<HTMLElement>(sel)?.dataset.state;
    return state === "done" || state === "error";
  }, output, { timeout: 60_000 });
  return page.$eval(output, (el) => ({ ...(el as HTMLElement).dataset, text: el.textContent ?? "" }) as PageResult);
}

describe.skipIf(!hasChromium)(`the example app in headless Chromium${hasChromium ? "" : ` (skipped: ${INSTALL_HINT})`}`, () => {
  let outDir: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const expected: string[] = [];

  beforeAll(async () => {
    const pool = await mp.createPool({ workers: 3 });
    try {
      for (const c of CASES) {
        const w = workloads.find((x) => x.id === c.workload)!;
        const r = await w.run(mp, pool, Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, parse(v)])));
        expected.push(w.check(r));
        w.release?.(pool, r);
      }
    } finally {
      await pool.close();
    }
    outDir = await buildExample();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** Opens the app served with or without the isolation headers; collects its warnings and errors. */
  async function open(isolated: boolean, notFound?: RegExp) {
    const server = await serve(outDir, isolated, { notFound });
    const page = await browser.context.newPage();
    const warnings: string[] = [];
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]");
    return {
      page, warnings, errors,
      async close() { await page.close(); await server.close(); },
    };
  }

  // The page must give Node's check strings (below); these pin Node's to answers computed
  // independently here, so a bug common to Node and the browser cannot pass.
  it("Node's answers, which the page must match, are the known ones", () => {
    const check = (workload: string, i = CASES.findIndex((c) => c.workload === workload)) => expected[i]!.split(" ");
    const primes = primesUpTo(1e7);
    expect(primes.count).toBe(664579); // π(10⁷)
    expect(check("count-primes")).toEqual([String(primes.count), String(primes.sum), String(primes.last)]);
    expect(check("list-primes").slice(0, 2)).toEqual([String(primes.count), String(primes.sum)]);
    const plate = serialHeat(100, 100, 1e-4, 100_000);
    const [iterations, converged, bits] = check("heat");
    expect([Number(iterations), converged]).toEqual([plate.iterations, String(plate.converged)]);
    expect(fromBitsHex(bits!)).toEqual([plate.centre, plate.maxDiff]);
    for (const [i, c] of CASES.entries()) {
      if (c.workload !== "pi") continue;
      // the midpoint rule's error for 4/(1+x²) on [0, 1]: (f'(0) − f'(1))/(24 N²) = 1/(12 N²)
      const n = parse(c.params.n!);
      expect(Math.abs(fromBitsHex(expected[i]!)[0]! - Math.PI - 1 / (12 * n * n))).toBeLessThan(1e-13);
    }
    const mc = CASES.find((c) => c.workload === "montecarlo")!;
    expect(Number(check("montecarlo")[0])).toBe(referenceHitsFast(0, parse(mc.params.samples!), keyOf(parse(mc.params.seed!))).hits);
  }, 60_000);

  it("has test cases for every workload of the example", () => {
    expect([...new Set(CASES.map((c) => c.workload))].sort()).toEqual(workloads.map((w) => w.id).sort());
  });

  it("on a cross-origin isolated page, gives Node's bits for 1 and 3 workers sharing memory", async () => {
    const app = await open(true);
    try {
      expect(await app.page.evaluate(() => crossOriginIsolated)).toBe(true);
      for (const workers of [1, 3]) {
        for (const [i, c] of CASES.entries()) {
          const r = await runCase(app.page, c, workers);
          expect(r.state, r.text).toBe("done");
          expect(r.check, `${c.workload} ${JSON.stringify(c.params)} on ${workers} workers`).toBe(expected[i]);
          expect(r.backend).toBe(c.backend.isolated);
        }
      }
      expect(app.warnings).toEqual([]);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it("without the isolation headers, gives the same bits and warns once, naming the headers", async () => {
    const app = await open(false);
    try {
      expect(await app.page.evaluate(() => crossOriginIsolated)).toBe(false);
      for (const workers of [2, 3]) {
        for (const [i, c] of CASES.entries()) {
          const r = await runCase(app.page, c, workers);
          expect(r.state, r.text).toBe("done");
          expect(r.check, `${c.workload} ${JSON.stringify(c.params)} on ${workers} workers`).toBe(expected[i]);
          expect(r.backend).toBe(c.backend.notIsolated);
        }
      }
      expect(app.warnings).toHaveLength(1);
      expect(app.warnings[0]).toContain("Cross-Origin-Opener-Policy: same-origin");
      expect(app.warnings[0]).toContain("Cross-Origin-Embedder-Policy: require-corp");
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it("draws the heat plate on the canvas, a pixel a cell: the hot top edge brightest, the cold bottom edge darkest", async () => {
    const app = await open(true);
    try {
      const c = CASES.find((x) => x.workload === "heat")!;
      const r = await runCase(app.page, c, 2);
      expect(r.state, r.text).toBe("done");
      expect(await app.page.isVisible("#heat-canvas")).toBe(true);
      const picture = await app.page.$eval("#heat-canvas", (canvas) => {
        const cv = canvas as HTMLCanvasElement;
        const data = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
        const pixel = (x: number, y: number) => Array.from(data.subarray(4 * (y * cv.width + x), 4 * (y * cv.width + x) + 4));
        const middle = Array.from({ length: cv.height }, (_, y) => pixel(cv.width >> 1, y));
        return { width: cv.width, height: cv.height, top: pixel(40, 0), bottom: pixel(40, cv.height - 1), middle };
      });
      expect([picture.width, picture.height]).toEqual([102, 102]); // N = 100 and the boundary
      expect(picture.top).toEqual([252, 255, 164, 255]); // inferno's hottest: the top edge, 100
      expect(picture.bottom).toEqual([0, 0, 4, 255]); // inferno's coldest: the bottom edge, 0
      // down the middle column the plate cools steadily; inferno brightens with the temperature
      const brightness = picture.middle.map(([red, green, blue]) => red! + green! + blue!);
      for (let y = 1; y < brightness.length; y++) expect(brightness[y], `row ${y}`).toBeLessThanOrEqual(brightness[y - 1]!);
      expect(brightness[51]).toBeGreaterThan(brightness[101]!);
      expect(brightness[51]).toBeLessThan(brightness[0]!);
    } finally {
      await app.close();
    }
  }, 60_000);

  it("without the isolation headers (no SharedArrayBuffer global), frees a view made before the memory grew", async () => {
    const app = await open(false);
    try {
      const r = await app.page.evaluate(async () => {
        const mp = (globalThis as unknown as { wasmMp: typeof import("../../dist/browser.js") }).wasmMp;
        const pool = await mp.createPool({ workers: 1 });
        const before = pool.arena.byteLength;
        const early = pool.alloc(Float64Array, 16);
        const big = pool.alloc(Float64Array, 1 << 20); // 8 MiB: the memory grows
        pool.free(early);
        pool.free(big);
        const grew = pool.arena.byteLength > before;
        await pool.close();
        return { sab: typeof SharedArrayBuffer, grew };
      });
      expect(r).toEqual({ sab: "undefined", grew: true });
    } finally {
      await app.close();
    }
  }, 60_000);

  it("counts the Web Workers' tasks in pool.stats(), with or without shared memory", async () => {
    for (const isolated of [true, false]) {
      const app = await open(isolated);
      try {
        const stats = await app.page.evaluate(async () => {
          const mp = (globalThis as unknown as { wasmMp: typeof import("../../dist/browser.js") }).wasmMp;
          const pool = await mp.createPool({ workers: 2 });
          await mp.pi({ n: 1e7, pool, inlineThreshold: 0 });
          const s = pool.stats();
          await pool.close();
          return { workers: s.workers, perWorker: s.perWorker.length, alive: s.perWorker.every((w) => w.alive), tasksRun: s.tasksRun };
        });
        expect(stats).toMatchObject({ workers: 2, perWorker: 2, alive: true });
        expect(stats.tasksRun).toBeGreaterThanOrEqual(2);
      } finally {
        await app.close();
      }
    }
  }, 60_000);

  it("reports a worker script that cannot load as an error, without waiting for the start timeout", async () => {
    const app = await open(true, /web-worker/);
    try {
      const r = await runCase(app.page, CASES[0]!, 2);
      expect(r.state).toBe("error");
      expect(r.text).toMatch(/^a worker failed to start: Web Worker \d could not start/);
    } finally {
      await app.close();
    }
  }, 60_000);
});
