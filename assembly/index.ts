/**
 * The kernels module: every kernel of wasm-mp, compiled into one .wasm that imports a shared
 * memory. Rules for every file here: no allocation (runtime "stub", no `new`, no strings), no
 * data segments (no static arrays or string literals), pointers and lengths in, numbers out.
 */
export * from "./pi";
export * from "./montecarlo";
export * from "./leibniz";
export { barrierInit, barrierWait, barrierAbort, barrierState } from "./barrier";
export * from "./heat";

/** Does nothing: measures the cost of a round trip to a worker. */
export function nop(): void {}
export * from "./sieve";
export { heatRelax, heatSweepInner, heatSweepEdges, heatSweepFollowEdges, heatResidualMax, heatRestrictFine, heatRestrictCoarse, heatProlong } from "./heat-relax";
export { heatSorStep } from "./heat-sor";
export { heatMultigridStep } from "./heat-multigrid";
export { heatWarmUpContext } from "./heat-warm-up";
