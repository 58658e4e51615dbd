/**
 * The sieve's plan and bounds (src/workloads/primes-sieve.ts), checked as plain functions of N:
 * the rules its comments state for the bitmap, the pre-sieve groups, the segment, chunk and part
 * sizes, the prime-count bound and the progress of a job of several passes. Each is compared
 * with a plain sieve of Eratosthenes, a published value or the rule written out here, for N from
 * 0 to 10^13 (planning sieves nothing, so the large N cost nothing).
 */
import { describe, expect, it } from "vitest";
import { AbortError } from "../../dist/index.js";
import {
  CHUNK_BYTES, MAX_SEGMENT_BYTES, MIN_SEGMENT_BYTES, ProgressPhase, isqrt, planSieve, primeCountUpperBound, throwIfAborted,
} from "../../dist/workloads/primes-sieve.js";

/** pi[x] = π(x) for x ≤ n, by a plain sieve of Eratosthenes. */
function primeCounts(n: number): Uint32Array {
  const composite = new Uint8Array(n + 1);
  for (let i = 2; i * i <= n; i++) {
    if (composite[i]) continue;
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  const pi = new Uint32Array(n + 1);
  for (let k = 2; k <= n; k++) pi[k] = pi[k - 1]! + (composite[k] ? 0 : 1);
  return pi;
}

const PI = primeCounts(1_100_000);

/** π(10^k), k = 6..13 (OEIS A006880). */
const PI_POWERS: Array<[number, number]> = [
  [1e6, 78498], [1e7, 664579], [1e8, 5761455], [1e9, 50847534], [1e10, 455052511],
  [1e11, 4118054813], [1e12, 37607912018], [1e13, 346065536839],
];

/** The pre-sieve groups' periods in bytes (products of their primes) and largest primes, as the plan's comment lists them. */
const GROUP_PERIODS = [7 * 11 * 13 * 17, 19 * 23, 29 * 31, 37 * 41, 43 * 47, 53 * 59, 61 * 67, 71 * 73, 79 * 83,
  89 * 97, 101 * 103, 107 * 109, 113 * 127, 131 * 137, 139 * 149, 151 * 157, 163 * 167];
const GROUP_LARGEST = [17, 23, 31, 41, 47, 59, 67, 73, 83, 97, 103, 109, 127, 137, 149, 157, 167];

/** The smallest N whose bitmap has `bytes` bytes. */
const nWithBytes = (bytes: number): number => 30 * (bytes - 1);
const align64 = (n: number): number => Math.ceil(n / 64) * 64;

/** N from 0 to 10^13: small ones, powers, and the edges where a plan size changes. */
function planNs(): number[] {
  const ns = [0, 1, 2, 3, 4, 5, 6, 7, 29, 30, 31, 1000, 99_991, 2 ** 32, 2 ** 32 + 15, 1e13];
  for (let k = 1; k <= 13; k++) ns.push(10 ** k, 3 * 10 ** k);
  // segments halve while a range has fewer than 8 of them: ranges of 8·2^j bytes, and one byte less
  for (let j = 10; j <= 21; j++) ns.push(nWithBytes(8 * 2 ** j), nWithBytes(8 * 2 ** j) - 30);
  // segments double up to 2·√N: √N at 2^16..2^20, and one more
  for (let j = 16; j <= 20; j++) ns.push((2 ** j) ** 2, (2 ** j + 1) ** 2, (2 ** j) ** 2 - 1);
  // parts: the range in 64 segments of 256 KiB, or 64 parts of 2 MiB, and one byte more
  for (const bytes of [64 * MIN_SEGMENT_BYTES, 2 * 64 * MIN_SEGMENT_BYTES, 64 * 8 * MIN_SEGMENT_BYTES]) ns.push(nWithBytes(bytes), nWithBytes(bytes + 1));
  return ns.filter((n) => n <= 1e13);
}

describe("planSieve: bitmap and base primes", () => {
  it("takes ⌊N/30⌋ + 1 bitmap bytes, ⌊√N⌋ and the primes 2, 3, 5 that are ≤ N", () => {
    for (const n of planNs()) {
      const plan = planSieve(n);
      expect(plan.n).toBe(n);
      expect(plan.bytes, `N = ${n}`).toBe(Math.floor(n / 30) + 1);
      expect(plan.root * plan.root, `N = ${n}`).toBeLessThanOrEqual(n);
      expect((plan.root + 1) * (plan.root + 1), `N = ${n}`).toBeGreaterThan(n);
    }
    expect([0, 1, 2, 3, 4, 5, 6, 100].map((n) => planSieve(n).small)).toEqual([[], [], [2], [2, 3], [2, 3], [2, 3, 5], [2, 3, 5], [2, 3, 5]]);
  });

  it("uses the pre-sieve groups whose period fits in the range, and sieves from the next prime on", () => {
    // the first group's period (17017 bytes) is the largest of the first 13: no group below it,
    // then 13 at once, then one more at each later group's period
    const edges: Array<[number, number, number]> = [[17016, 0, 0], [17017, 13, 127]];
    for (let g = 13; g < GROUP_PERIODS.length; g++) edges.push([GROUP_PERIODS[g]! - 1, g, GROUP_LARGEST[g - 1]!], [GROUP_PERIODS[g]!, g + 1, GROUP_LARGEST[g]!]);
    edges.push([10 ** 9, 17, 167]);
    for (const [bytes, groups, presieveMax] of edges) {
      const plan = planSieve(nWithBytes(bytes));
      expect(plan.bytes).toBe(bytes);
      expect([plan.groups, plan.presieveMax], `${bytes} bytes`).toEqual([groups, presieveMax]);
    }
  });

  it("finds base primes up to the largest of √N, the largest pre-sieved prime and 7", () => {
    for (const n of planNs()) {
      const plan = planSieve(n);
      expect(plan.baseLimit, `N = ${n}`).toBe(Math.max(plan.root, plan.presieveMax, 7));
    }
    expect([planSieve(0).baseLimit, planSieve(48).baseLimit, planSieve(1e6).baseLimit, planSieve(1e13).baseLimit]).toEqual([7, 7, 1000, 3162277]);
  });
});

describe("planSieve: segments, chunks and parts", () => {
  /** The segment rule as the plan states it, written with logarithms: the power of two at or above 2·√N within [256 KiB, 1 MiB], halved (down to one chunk) until the range has 8 segments, and no more than the range. */
  function expectedSegment(bytes: number, root: number): number {
    const want = Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, 2 ** Math.ceil(Math.log2(Math.max(2 * root, 1)))));
    const fitting = bytes >= 8 ? 2 ** Math.floor(Math.log2(bytes / 8)) : 0;
    return Math.min(Math.max(CHUNK_BYTES, Math.min(want, fitting)), align64(bytes));
  }

  it("sizes segments to 2·√N within 256 KiB – 1 MiB, at least 8 per range down to one chunk", () => {
    for (const n of planNs()) {
      const plan = planSieve(n);
      expect(plan.segmentBytes, `N = ${n}`).toBe(expectedSegment(plan.bytes, plan.root));
    }
    // published points of the rule: 10^13 (√N ≈ 3.2·10^6) takes the largest segment, 10^10 the smallest
    expect(planSieve(1e13).segmentBytes).toBe(MAX_SEGMENT_BYTES);
    expect(planSieve(1e10).segmentBytes).toBe(MIN_SEGMENT_BYTES);
    expect(planSieve(2 ** 34).segmentBytes).toBe(MIN_SEGMENT_BYTES); // 2·√N = 256 KiB exactly
    expect(planSieve((2 ** 17 + 1) ** 2).segmentBytes).toBe(2 * MIN_SEGMENT_BYTES);
    expect(planSieve(1e5).segmentBytes).toBe(3392); // the whole range (3334 bytes), rounded up to 64
  });

  it("crosses small primes off a chunk of at most 32 KiB, never more than a segment", () => {
    for (const n of planNs()) {
      const plan = planSieve(n);
      expect(plan.chunkBytes, `N = ${n}`).toBe(Math.min(CHUNK_BYTES, plan.segmentBytes));
    }
  });

  it("cuts the range into the fewest parts of whole segments that make 64, up to 2 MiB a part", () => {
    for (const n of planNs()) {
      const { bytes, segmentBytes, spec } = planSieve(n);
      const cap = Math.max(8 * MIN_SEGMENT_BYTES, segmentBytes);
      const segmentsFor64 = Math.max(1, Math.ceil(bytes / 64 / segmentBytes));
      expect(spec.blockSize, `N = ${n}`).toBe(Math.min(cap, segmentsFor64 * segmentBytes));
      expect([spec.start, spec.end, spec.parts], `N = ${n}`).toEqual([0, bytes, Math.ceil(bytes / spec.blockSize)]);
    }
    // 64 segments of 256 KiB make 64 parts; one byte more, 33 parts of two segments
    expect(planSieve(nWithBytes(64 * MIN_SEGMENT_BYTES)).spec.parts).toBe(64);
    expect(planSieve(nWithBytes(64 * MIN_SEGMENT_BYTES + 1)).spec.parts).toBe(33);
    // parts stop growing at 2 MiB: 10^10 has 159 of them
    expect(planSieve(1e10).spec.blockSize).toBe(2 * 1024 * 1024);
    expect(planSieve(1e10).spec.parts).toBe(159);
  });
});

describe("primeCountUpperBound", () => {
  it("is at least π(x) for every x up to 1.1·10^6 and at 10^6 … 10^13", () => {
    const under: string[] = [];
    for (let x = 0; x < PI.length; x++) if (primeCountUpperBound(x) < PI[x]!) under.push(`π(${x}) = ${PI[x]} > ${primeCountUpperBound(x)}`);
    for (const [x, pi] of PI_POWERS) if (primeCountUpperBound(x) < pi) under.push(`π(${x}) = ${pi} > ${primeCountUpperBound(x)}`);
    expect(under.slice(0, 5)).toEqual([]);
  });

  it("is 6 below 17 (π(16) = 6)", () => {
    for (let x = 0; x < 17; x++) expect(primeCountUpperBound(x), `x = ${x}`).toBe(6);
  });

  it("is within 15 % of π(x) from 17 on (Rosser–Schoenfeld), and within 0.2 % from 355991 on (Dusart)", () => {
    const loose: string[] = [];
    for (let x = 17; x < PI.length; x++) {
      const slack = x >= 355991 ? 1.002 : 1.15;
      if (primeCountUpperBound(x) > slack * PI[x]! + 1) loose.push(`x = ${x}: ${primeCountUpperBound(x)} for π = ${PI[x]}`);
    }
    for (const [x, pi] of PI_POWERS) if (primeCountUpperBound(x) > 1.002 * pi) loose.push(`x = ${x}: ${primeCountUpperBound(x)} for π = ${pi}`);
    expect(loose.slice(0, 5)).toEqual([]);
    // Dusart's bound starts at 355991 exactly: π(355991) = 30456
    expect(PI[355991]).toBe(30456);
    expect(primeCountUpperBound(355991)).toBe(30457);
  });
});

describe("isqrt", () => {
  it("is ⌊√n⌋ for every n up to 10^5 and around the squares of large k", () => {
    for (let n = 0; n <= 1e5; n++) {
      const r = isqrt(n);
      if (r * r > n || (r + 1) * (r + 1) <= n) expect.fail(`isqrt(${n}) = ${r}`);
    }
    for (const k of [316, 4096, 65535, 65536, 131072, 3162277, 3162278, 2 ** 26 - 1]) {
      expect([isqrt(k * k - 1), isqrt(k * k), isqrt(k * k + 1)], `k = ${k}`).toEqual([k - 1, k, k]);
    }
  });
});

describe("ProgressPhase", () => {
  it("maps each pass's parts into one count over all passes", () => {
    const seen: Array<{ done: number; total: number; fraction: number }> = [];
    const [first, second] = ProgressPhase.passes(10, 2);
    first!.relay((p) => seen.push(p))!({ done: 4, total: 10, fraction: 0.4 });
    second!.relay((p) => seen.push(p))!({ done: 10, total: 10, fraction: 1 });
    expect(seen).toEqual([{ done: 4, total: 20, fraction: 0.2 }, { done: 20, total: 20, fraction: 1 }]);
  });

  it("gives one phase per pass, and no relay without a listener", () => {
    expect(ProgressPhase.passes(5, 3)).toHaveLength(3);
    expect(ProgressPhase.passes(5, 1)[0]!.relay(undefined)).toBeUndefined();
  });
});

describe("throwIfAborted", () => {
  it("throws an AbortError with the signal's reason once aborted, and nothing before", () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal)).not.toThrow();
    controller.abort("stop");
    let thrown: unknown;
    try {
      throwIfAborted(controller.signal);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AbortError);
    expect((thrown as AbortError).reason).toBe("stop");
  });
});
