import * as mp from "wasm-mp";
import { workloads } from "./workloads.js";

const $ = (selector) => document.querySelector(selector);
const isolated = globalThis.crossOriginIsolated === true;
$("#isolation").textContent = isolated
  ? "Cross-origin isolated: the workers share one WebAssembly.Memory."
  : "Not cross-origin isolated: the workers have private memories, and jobs on shared arrays run on this thread (send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to change that).";
document.body.dataset.isolated = String(isolated);

const select = $("#workers");
const cores = navigator.hardwareConcurrency || 1;
for (let w = 1; w <= Math.max(cores, 4); w++) select.add(new Option(String(w), String(w), false, w === cores));

let pool;
/** The pool for the selected worker count, made anew when the selection changes. */
async function currentPool() {
  const workers = Number(select.value);
  if (pool && (await pool).size === workers) return pool;
  const old = pool;
  pool = mp.createPool({ workers });
  pool.catch(() => { pool = undefined; });
  if (old) await (await old).close().catch(() => {});
  const ready = await pool;
  $("#pool-status").textContent = `pool of ${ready.size} worker${ready.size > 1 ? "s" : ""} ready, ` +
    (ready.workersShareMemory ? "sharing its memory" : "each with a private memory");
  return ready;
}

const parse = (text) => Number(String(text).trim().replaceAll("_", ""));
let busy = false;

for (const w of workloads) {
  const row = document.createElement("div");
  row.className = "workload";
  row.innerHTML = `<button id="run-${w.id}"></button>
    <span class="params"></span>
    <span><output id="result-${w.id}" data-state="idle"></output> <span class="time" id="time-${w.id}"></span></span>`;
  row.querySelector("button").textContent = w.label;
  for (const p of w.params) {
    const label = document.createElement("label");
    label.append(`${p.label} `);
    const input = Object.assign(document.createElement("input"), { id: `param-${w.id}-${p.name}`, value: p.value });
    label.append(input, " ");
    row.querySelector(".params").append(label);
  }
  $("#workloads").append(row);
  if (w.draw) $("#heat").hidden = false;

  const output = row.querySelector("output");
  row.querySelector("button").addEventListener("click", async () => {
    if (busy) return;
    busy = true;
    output.dataset.state = "running";
    output.textContent = "running…";
    $(`#time-${w.id}`).textContent = "";
    try {
      const params = Object.fromEntries(w.params.map((p) => [p.name, parse($(`#param-${w.id}-${p.name}`).value)]));
      const p = await currentPool();
      const started = performance.now();
      const onProgress = ({ fraction }) => { output.textContent = `running… ${Math.round(fraction * 100)}%`; };
      const result = await w.run(mp, p, params, onProgress);
      const ms = performance.now() - started;
      output.textContent = w.describe(result);
      // inline on an isolated page: too small to pay for workers; elsewhere it may instead be a
      // job that needs the workers to share memory (the page's banner says so)
      const where = result.backend === "inline"
        ? `in the page's thread${p.workersShareMemory ? " (too small for workers)" : ""}`
        : `on ${result.workers ?? p.size} worker${(result.workers ?? p.size) > 1 ? "s" : ""}, ${p.workersShareMemory ? "shared memory" : "private memories"}`;
      $(`#time-${w.id}`).textContent = `${ms.toFixed(1)} ms ${where}`;
      if (w.draw) w.draw($("#heat-canvas"), result);
      Object.assign(output.dataset, {
        check: w.check(result),
        workers: String(result.workers ?? p.size),
        backend: String(result.backend ?? ""),
        elapsedMs: String(ms),
        state: "done",
      });
      w.release?.(p, result);
    } catch (e) {
      output.textContent = String(e?.message ?? e);
      output.dataset.state = "error";
    } finally {
      busy = false;
    }
  });
}
// for trying the API from the developer console, and for bench/browser.bench.js
globalThis.wasmMp = mp;
globalThis.exampleWorkloads = workloads;
document.body.dataset.ready = "true";
