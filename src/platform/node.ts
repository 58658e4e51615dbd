/** The Node platform: os.availableParallelism, the .wasm read from the package, tinypool workers. */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { KERNELS_URL } from "../kernels/url.js";
import { NodeBackend } from "../pool/node-backend.js";
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

setPlatform(nodePlatform);
