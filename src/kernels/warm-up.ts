/**
 * Calls each bundled kernel many times on tiny inputs so that V8 tiers it up from its baseline
 * compiler (Liftoff) to TurboFan before the first real call: a long wasm call stays in the tier
 * it started in, which can be 1.5–4× slower. Kernels the module lacks (a user's module) are skipped.
 */
/** Where the heat step kernels' warm-up context lies (assembly/heat-warm-up.ts: 4608 bytes), after the sieve's scratch. */
const HEAT_WARM = 57344;

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
    // heat: Jacobi's sweep on a 4×4 plate in [8192, 8768) (two 6×6 grids); then the step kernels
    // the heat plate runs under Pool.iterate, on a tiny context laid out by heatWarmUpContext in
    // [HEAT_WARM, HEAT_WARM + 4608) (assembly/heat-warm-up.ts): every phase of each once per
    // round — multigrid's first phase of its first cycle fills the transfer tables the others
    // read. All in the reserved first 64 KiB
    ["heatSweep", [8192, 8480, 4, 1, 5]],
    ["heatWarmUpContext", [HEAT_WARM]],
    ["heatJacobiStep", [0, 1, 0, 5, HEAT_WARM + 3584, HEAT_WARM + 4096]],
    ["heatJacobiStep", [0, 1, 1, 5, HEAT_WARM + 3584, HEAT_WARM + 4096]],
    ...[0, 1, 2].map((phase): [string, number[]] => ["heatSorStep", [0, 1, 1, phase, HEAT_WARM, 1.5]]),
    ["heatMultigridStep", [0, 1, 0, 0, HEAT_WARM]],
    ...Array.from({ length: 13 }, (_, phase): [string, number[]] => ["heatMultigridStep", [0, 1, 1, phase, HEAT_WARM]]),
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
