/** The Node platform: os.availableParallelism, the .wasm read from the package, tinypool workers. */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { KERNELS_URL } from "../kernels/module.js";
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
};

setPlatform(nodePlatform);
