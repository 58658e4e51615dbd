// A benny suite with the project's defaults: a readable table of median times on completion,
// results saved to bench/results/<file>.json (with every sample) and <file>.chart.html.
import b from "benny";
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";

const folder = new URL("results", import.meta.url).pathname;

/**
 * Runs the package's own suites (src/bench/suites, the ones `wasm-mp bench` runs: one
 * definition for both) at full size on 1..P workers, prints their table and saves the report,
 * every sample, to bench/results/suite-<names>.json. The *.bench.js files add what only the
 * repository has: the C references, bc, primesieve, the browser.
 */
export async function shared(...names) {
  const { runBench, formatReport } = await import("../dist/bench/node.js");
  const report = await runBench({
    suites: names,
    workers: availableParallelism(),
    onProgress: (e) => { if (e.type === "suite") console.log(`(${e.suite}: ${e.cases} cases, about ${Math.ceil(e.expectedSeconds)} s)`); },
  });
  console.log(formatReport(report));
  writeFileSync(`${folder}/suite-${names.join("-")}.json`, JSON.stringify(report, null, 1) + "\n");
  return report;
}

export function suite(name, file, ...cases) {
  return b.suite(
    name,
    ...cases,
    // not benny's default cycle output: it throws (String.repeat(-1)) when the fastest case's
    // ops/s prints shorter than another's, e.g. "1" against "0.99"
    b.cycle((result) => `  ${result.name}: ${result.ops} ops/s, ±${result.margin}% (${result.samples} samples)`),
    b.complete((summary) => {
      console.log(`\n${name}`);
      for (const r of summary.results) {
        const ms = median(r.details.sampleResults) * 1000;
        console.log(`  ${r.name.padEnd(34)} median ${formatMs(ms).padStart(11)}  (${r.samples} samples, ±${r.margin}%)`);
      }
    }),
    b.save({ file, folder, format: "json", details: true }),
    b.save({ file, folder, format: "chart.html" }),
  );
}

export const add = b.add;

function median(samples) {
  const s = [...samples].sort((a, x) => a - x);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function formatMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(3)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(2)} µs`;
}
