// The benchmark page: runBench from "wasm-mp/bench", loaded only when Run is clicked (benny and
// the suites are not part of the workloads page). Shows the table and the chart and offers the
// JSON report, the schema `npx wasm-mp bench --json` prints (docs/bench.md). For tests and
// scripts: globalThis.runBenchPage(options) runs it and resolves to the report.
const SUITES = ["pi", "montecarlo", "primes", "leibniz", "heat", "map", "dispatch", "sync"];
const $ = (selector) => document.querySelector(selector);

const isolated = globalThis.crossOriginIsolated === true;
$("#isolation").textContent = isolated
  ? "This page is cross-origin isolated: the pool's workers share one WebAssembly.Memory, so every suite runs as in Node."
  : "This page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and " +
    "Cross-Origin-Embedder-Policy: require-corp): the workers get private memories, so the heat plate runs in this page's " +
    "thread and the pool.iterate step (lanes meeting at a barrier) is skipped. The figures then say what such a page gets.";
document.body.dataset.isolated = String(isolated);

for (const name of SUITES) {
  const label = document.createElement("label");
  label.append(Object.assign(document.createElement("input"), { type: "checkbox", checked: true, value: name }), ` ${name} `);
  $("#suites").append(label);
}
const cores = navigator.hardwareConcurrency || 1;
for (let w = 1; w <= Math.max(cores, 4); w++) $("#workers").add(new Option(String(w), String(w), false, w === cores));

async function run(options) {
  const status = $("#status");
  status.dataset.state = "running";
  status.textContent = "loading the suites…";
  $("#run").disabled = true;
  try {
    const bench = await import("wasm-mp/bench");
    const started = performance.now();
    const report = await bench.runBench({
      ...options,
      onProgress(e) {
        const secs = ((performance.now() - started) / 1000).toFixed(0);
        status.textContent = e.type === "suite"
          ? `[${e.index + 1}/${e.suites}] ${e.suite}: ${e.cases} cases, about ${Math.ceil(e.expectedSeconds)} s (elapsed ${secs} s)`
          : `${e.suite} ${e.done}/${e.total}: ${e.name} (elapsed ${secs} s)`;
      },
    });
    $("#table").textContent = bench.formatReport(report);
    $("#chart").innerHTML = bench.benchChartSvg(report);
    const link = $("#download");
    URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([JSON.stringify(report, null, 1)], { type: "application/json" }));
    link.hidden = false;
    status.textContent = `done in ${(report.elapsedMs / 1000).toFixed(1)} s`;
    status.dataset.state = "done";
    return report;
  } catch (e) {
    status.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`;
    status.dataset.state = "error";
    throw e;
  } finally {
    $("#run").disabled = false;
  }
}

globalThis.runBenchPage = run;
$("#run").addEventListener("click", () => {
  const suites = [...document.querySelectorAll("#suites input:checked")].map((i) => i.value);
  run({ suites, quick: $("#quick").checked, workers: Number($("#workers").value) }).catch(() => {});
});
document.body.dataset.ready = "true";
