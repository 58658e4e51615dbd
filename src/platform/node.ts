/** The Node platform: os.availableParallelism, the .wasm read from the package, tinypool workers. */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { KERNELS_URL } from "../kernels/url.js";
import { NodeBackend, workerExecArgv } from "./tinypool-backend.js";
import { Worker } from "node:worker_threads";
import type { ProbeReply } from "./module-probe.js";
import { setPlatform, type Platform } from "./platform.js";

let compiled: Promise<WebAssembly.Module> | undefined;

export const nodePlatform: Platform = {
  name: "node",
  availableParallelism,
  loadKernels() {
    compiled ??= readFile(KERNELS_URL).then((bytes) => WebAssembly.compile(bytes));
    return compiled;
  },
  createBackend: (init) => new NodeBackend(init),
  resolvePath: (path) => pathToFileURL(resolve(path)),
  async readBytes(url) {
    if (url.protocol === "file:") return new Uint8Array(await readFile(url));
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.href}`);
    return new Uint8Array(await response.arrayBuffer());
  },
};

/**
 * V8 compiles wasm with its baseline compiler (Liftoff) first and tiers hot functions up as they
 * run; a long call that starts in baseline code stays there (1.5–4× slower), and a user's module
 * is not warmed up by calling it (its kernels' arguments are unknown). Compiling it with Liftoff
 * off makes every function TurboFan code before the first call. The flag is process-wide, so it
 * is on only while this compile runs; the bundled kernels are warmed up by calls instead.
 */
let optimizedCompiles = 0;
nodePlatform.compileOptimized = async (bytes) => {
  const v8 = await import("node:v8");
  if (optimizedCompiles++ === 0) v8.setFlagsFromString("--no-liftoff");
  try {
    return await WebAssembly.compile(bytes);
  } finally {
    if (--optimizedCompiles === 0) v8.setFlagsFromString("--liftoff");
  }
};

nodePlatform.probeModule = (module, maxPages, hostImports, timeoutMs) => new Promise<ProbeReply>((resolve) => {
  const worker = new Worker(new URL("./module-probe.js", import.meta.url), { workerData: { module, maxPages, hostImports }, execArgv: workerExecArgv() });
  const timer = setTimeout(() => {
    resolve({ error: `instantiating it did not finish within ${timeoutMs} ms (does its start function return?)` });
    void worker.terminate();
  }, timeoutMs);
  worker.once("message", (reply: ProbeReply) => {
    clearTimeout(timer);
    resolve(reply);
    void worker.terminate();
  });
  worker.once("error", (e) => {
    clearTimeout(timer);
    resolve({ error: e.message });
  });
});

setPlatform(nodePlatform);
