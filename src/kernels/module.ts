/**
 * The bundled kernels: one AssemblyScript module (assembly/) compiled to build/kernels.wasm,
 * importing a shared memory as env.memory. Compiled once per process (by the platform) and
 * shared with the workers, which only instantiate it.
 */
export const KERNELS_URL = new URL("../../build/kernels.wasm", import.meta.url);

/** Imports every instance gets: the shared memory, and an abort that traps with its message. */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`abort called at line ${line}, column ${column}`);
      },
    },
  };
}

