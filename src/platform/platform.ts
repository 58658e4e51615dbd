/**
 * What differs between Node and browsers, behind one interface: how many cores, how the
 * kernels' .wasm is fetched, and which backend runs tasks. The package's entry point
 * (index.ts for Node, browser.ts for browsers) installs its platform on import, so the pool,
 * the planners and the workloads stay platform-neutral.
 */
import type { Backend } from "../pool/backend.js";

export interface BackendInit {
  size: number;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  warmUp: boolean;
  /** Byte offset of the Int32 counter each worker increments once ready (see pool/ready.ts). */
  readyCounter: number;
}

export interface Platform {
  readonly name: "node" | "browser";
  availableParallelism(): number;
  /** The bundled kernels, compiled (once per process). */
  loadKernels(): Promise<WebAssembly.Module>;
  createBackend(init: BackendInit): Backend;
}

let installed: Platform | undefined;

export function setPlatform(platform: Platform): void {
  installed = platform;
}

export function platform(): Platform {
  if (!installed) throw new Error("wasm-mp: no platform installed; import the package entry ('wasm-mp'), not its internal modules");
  return installed;
}
