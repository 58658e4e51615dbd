/**
 * Calls each bundled kernel many times on tiny inputs so that V8 tiers it up from its baseline
 * compiler (Liftoff) to TurboFan before the first real call: a long wasm call stays in the tier
 * it started in, which can be 1.5–4× slower. Kernels the module lacks (a user's module) are skipped.
 */
export async function warmUp(exports: WebAssembly.Exports): Promise<void> {
  const calls: Array<[string, number[]]> = [
    ["piMidpointSimd", [1, 2049, 2048]],
    ["piMidpointScalar", [1, 2049, 2048]],
    ["monteCarloHits", [0, 64, 1, 2]],
    ["monteCarloHitsScalar", [0, 8, 1, 2]],
    // numerator 2 limbs at 1024, scratch at 2048 (800 bytes), out at 4096: reserved memory
    ["leibnizTerms", [0, 64, 0, 64, 1024, 2, 40, 2048, 4096]],
    // sieve kernels: a tiny sieve in [16384, 55360) of the reserved first 64 KiB (see assembly/sieve.ts)
    ["sieveWarmUp", [16384]],
    // heat: a 4×4 plate in [8192, 8768) (two 6×6 grids), then 1000 sweeps of an empty row
    // block (control block at 9216, its rows table at 9344 never written, so zero) so that
    // heatSolve's own loop tiers up; all in the reserved first 64 KiB
    ["heatSweep", [8192, 8480, 4, 1, 5]],
    ["heatSolve", [0, 1, 4, 8192, 8480, 9216, 0, 1000, 0]],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [name, args] of calls) {
      const fn = exports[name];
      if (typeof fn !== "function") continue;
      for (let i = 0; i < 200; i++) (fn as (...a: number[]) => unknown)(...args);
    }
    // give the background TurboFan compile a moment to finish and install the code
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Let the last background compiles finish before the first job: on a 2-core machine a
  // compile still running steals a core from the job, and a barrier-synchronized job (the heat
  // plate) then waits on the slowed worker at every sweep (measured: first solve 2× slower).
  await new Promise((resolve) => setTimeout(resolve, 60));
}
