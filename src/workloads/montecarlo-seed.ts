/**
 * Monte Carlo π's seed: apart from montecarlo.ts so that the browser entry exports it without
 * loading the workload (src/lazy-workloads.ts).
 */

/** The first 32 bits of π's fractional part, 0x243F6A88: the seed when none is given. */
export const MONTE_CARLO_DEFAULT_SEED = 0x243f6a88;

/** The seed's two 32-bit halves, low first: the Philox key. */
export function seedKey(seed: number | bigint): [number, number] {
  const s = BigInt(seed);
  return [Number(s & 0xffffffffn), Number(s >> 32n)];
}
