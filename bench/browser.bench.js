// π and the heat plate in headless Chromium (the example app, built with Vite) against Node:
// the same kernels on Web Workers sharing memory (cross-origin isolated page), without isolation
// (π on Web Workers with private memories; the heat plate, whose workers meet at a barrier in
// shared memory, in the page's thread), and on tinypool threads. Each browser result is also
// checked bit for bit against Node's (the heat plate: the example's check, which fingerprints
// every cell's bits). Needs Debian's Chromium (apt-get install -y chromium).
// Run: node bench/browser.bench.js  (after npm run build)
import { existsSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as mp from "../dist/index.js";
import { workloads } from "../examples/browser/workloads.js";
import { CHROMIUM, INSTALL_HINT, buildExample, launchChromium, serve } from "../test/browser/harness.js";
import { add, suite } from "./suite.js";

if (!existsSync(CHROMIUM)) {
  console.log(`browser bench skipped: ${INSTALL_HINT}`);
  process.exit(0);
}

const N = 1e9;
const P = availableParallelism();
const counts = [...new Set([1, P])];
const options = { minSamples: 5, maxTime: 5 };

const nodePool = await mp.createPool({ workers: P });
const expected = (await mp.pi({ n: N, pool: nodePool })).value;

const outDir = await buildExample();
const browser = await launchChromium();
const pages = [];
async function openPage(isolated) {
  const server = await serve(outDir, isolated);
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]");
  pages.push({ page, server });
  return page;
}
/** π on the page, on a pool of `workers` kept for the page's later calls. */
const piInPage = (page, workers) => page.evaluate(async ({ n, workers }) => {
  const pools = (globalThis.benchPools ??= {});
  pools[workers] ??= await globalThis.wasmMp.createPool({ workers });
  return (await globalThis.wasmMp.pi({ n, pool: pools[workers] })).value;
}, { n: N, workers });

const isolated = await openPage(true);
const plain = await openPage(false);
for (const [label, page] of [["isolated", isolated], ["not isolated", plain]]) {
  for (const w of counts) {
    const value = await piInPage(page, w);
    console.log(`browser (${label}), ${w} worker(s): π = ${value} — ${value === expected ? "same bits as Node" : `DIFFERS from Node's ${expected}`}`);
  }
}

await suite(
  `pi in Chromium vs Node, N = 1e9`,
  "browser-pi",
  ...counts.map((w) => add(`Node, ${w} w`, async () => { await mp.pi({ n: N, workers: w, pool: nodePool }); }, options)),
  ...counts.map((w) => add(`Chromium shared mem, ${w} w`, async () => { await piInPage(isolated, w); }, options)),
  ...counts.map((w) => add(`Chromium private mem, ${w} w`, async () => { await piInPage(plain, w); }, options)),
);

// --- the heat plate ---------------------------------------------------------------------
const heatEntry = workloads.find((w) => w.id === "heat");
const HEAT = [
  { name: "N = 100 to 1e-4", file: "browser-heat-100", params: { size: 100, top: 100, tolerance: 1e-4, maxIterations: 100_000 } },
  // a tolerance no sweep gets under: exactly maxIterations sweeps
  { name: "N = 1024, 200 sweeps", file: "browser-heat-1024", params: { size: 1024, top: 100, tolerance: Number.MIN_VALUE, maxIterations: 200 } },
];
/** The example's heat entry on the page, on its pool of `workers`; its check string when asked. */
const heatInPage = (page, workers, params, check = false) => page.evaluate(async ({ workers, params, check }) => {
  const pools = (globalThis.benchPools ??= {});
  pools[workers] ??= await globalThis.wasmMp.createPool({ workers });
  const entry = globalThis.exampleWorkloads.find((w) => w.id === "heat");
  const r = await entry.run(globalThis.wasmMp, pools[workers], params);
  return { backend: r.backend, workers: r.workers, iterations: r.iterations, check: check ? entry.check(r) : undefined };
}, { workers, params, check });
const heatInNode = (workers, params) => mp.heat({ ...params, workers, pool: nodePool });

for (const h of HEAT) {
  const want = heatEntry.check(await heatInNode(P, h.params));
  for (const [label, page, ws] of [["isolated", isolated, counts], ["not isolated", plain, [P]]]) {
    for (const w of ws) {
      const r = await heatInPage(page, w, h.params, true);
      console.log(`browser (${label}), heat ${h.name}, ${r.workers} ${r.backend === "inline" ? "member in the page's thread" : "worker(s)"}: ` +
        `${r.iterations} sweeps — ${r.check === want ? "same bits as Node" : `DIFFERS from Node (${r.check} against ${want})`}`);
    }
  }
  await suite(
    `heat plate ${h.name} in Chromium vs Node`,
    h.file,
    ...counts.map((w) => add(`Node, ${w} w`, async () => { await heatInNode(w, h.params); }, options)),
    ...counts.map((w) => add(`Chromium shared mem, ${w} w`, async () => { await heatInPage(isolated, w, h.params); }, options)),
    // without shared memory the solve runs in the page's thread, whatever the pool's size
    add("Chromium not isolated, page thread", async () => { await heatInPage(plain, 1, h.params); }, options),
  );
}

for (const { page, server } of pages) {
  await page.close();
  await server.close();
}
await browser.close();
rmSync(outDir, { recursive: true, force: true });
await nodePool.close();
