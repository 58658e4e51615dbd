// π in headless Chromium (the example app, built with Vite) against Node, N = 1e9: the same
// kernels on Web Workers sharing memory (cross-origin isolated page), on Web Workers with
// private memories (plain page), and on tinypool threads. Each browser result is also checked
// bit for bit against Node's. Needs Debian's Chromium (apt-get install -y chromium).
// Run: node bench/browser.bench.js  (after npm run build)
import { existsSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createPool, pi } from "../dist/index.js";
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

const nodePool = await createPool({ workers: P });
const expected = (await pi({ n: N, pool: nodePool })).value;

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
  ...counts.map((w) => add(`Node, ${w} w`, async () => { await pi({ n: N, workers: w, pool: nodePool }); }, options)),
  ...counts.map((w) => add(`Chromium shared mem, ${w} w`, async () => { await piInPage(isolated, w); }, options)),
  ...counts.map((w) => add(`Chromium private mem, ${w} w`, async () => { await piInPage(plain, w); }, options)),
);

for (const { page, server } of pages) {
  await page.close();
  await server.close();
}
await browser.close();
rmSync(outDir, { recursive: true, force: true });
await nodePool.close();
