/** The Node platform: os.availableParallelism, the .wasm read from the package, tinypool workers. */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { KERNELS_URL } from "../kernels/url.js";
import { NodeBackend, workerExecArgv } from "./tinypool-backend.js";
import { Worker, threadId } from "node:worker_threads";
import { setOwnerId } from "../sync/owner.js";
import type { ProbeReply } from "./module-probe.js";
import { setPlatform, type Platform } from "./platform.js";
import { tierUp } from "../kernels/tier-up.js";

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
 * off and lazy compilation off makes every function TurboFan code before the first call (with
 * lazy compilation, V8's default, a function is compiled only at its first call, on the calling
 * thread: with Liftoff off, a TurboFan compile inside the user's first map). The flags are
 * process-wide, so they are set only while this compile runs; the bundled kernels are warmed
 * up by calls instead.
 */
let optimizedCompiles = 0;
nodePlatform.compileOptimized = async (bytes) => {
  const v8 = await import("node:v8");
  // Where Liftoff loses locals across memory.atomic.wait32 (V8 11.3, Node 20: docs/sync.md),
  // tierUp turns it off for good: turning it back on after the compile is not enough, as a
  // function compiled lazily at its first call would still get baseline code (seen: a user's
  // first call losing its sum, a producer stalling in queuePut, in 1 of 3–4 runs).
  const liftoffOff = tierUp(v8.setFlagsFromString);
  // V8 11.3 (Node 20) calls a wasm export through a generic JS-to-wasm wrapper for its first
  // ~1000 calls, then compiles one for its signature in the middle of the caller's loop: a
  // user's first map paid both, 0.3–0.5 ms in each worker (AMD EPYC). With the generic wrapper
  // off, V8 compiles the wrappers when a module is compiled or instantiated, so each worker has
  // them before its first task. Off for the rest of the process (the workers instantiate after
  // this compile); the flag is known to V8 11 only, and an unknown flag is an error on stderr.
  if (process.versions.v8.startsWith("11.")) v8.setFlagsFromString("--no-wasm-generic-wrapper");
  if (optimizedCompiles++ === 0) v8.setFlagsFromString(liftoffOff ? "--no-wasm-lazy-compilation" : "--no-liftoff --no-wasm-lazy-compilation");
  try {
    return await WebAssembly.compile(bytes);
  } finally {
    if (--optimizedCompiles === 0) v8.setFlagsFromString(liftoffOff ? "--wasm-lazy-compilation" : "--liftoff --wasm-lazy-compilation");
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

// RLock owners: every thread that loads the package (the main thread, each worker) names itself
// by its worker_threads id, unique in the process (src/sync/owner.ts)
setOwnerId(threadId + 1);

setPlatform(nodePlatform);
