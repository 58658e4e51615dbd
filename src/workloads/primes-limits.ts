/** The primes' bound: apart from primes.ts so that the browser entry exports it without loading the workload (src/lazy-workloads.ts). */

/** Largest N: counting that far takes hours on a few cores; the sieve's arithmetic holds to 2^53. */
export const PRIMES_MAX_UP_TO = 1e13;
