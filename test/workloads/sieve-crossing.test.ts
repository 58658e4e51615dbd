// The crossing-off paths of the sieve kernel (assembly/sieve-wheel.ts): the entry and exit
// partial periods with a check per multiple, and the whole periods that walk q·w up by 6q, 4q,
// 2q with the carries as constants. Small primes (≤ SMALL_MAX) cross an L1 chunk at a time,
// medium ones a segment at a time. Each is checked against a plain sieve written here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countPrimes, createPool, primes, type Pool } from "../../dist/index.js";
import { SMALL_MAX, planSieve } from "../../dist/workloads/primes-sieve.js";

/** composite[k] = 1 for every composite k ≤ n (and 0, 1), by a plain sieve of Eratosthenes. */
function plainComposites(n: number): Uint8Array {
  const composite = new Uint8Array(n + 1);
  composite[0] = 1;
  if (n >= 1) composite[1] = 1;
  for (let i = 2; i * i <= n; i++) {
    if (composite[i]) continue;
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return composite;
}

let pool: Pool;
beforeAll(async () => { pool = await createPool({ workers: 3 }); });
afterAll(async () => { await pool.close(); });

describe("crossing off", () => {
  it("counts as a plain sieve does for N where the medium primes (> SMALL_MAX) cross small segments", async () => {
    // √N passes SMALL_MAX at N ≈ 1.68e7; these N have 64–256 KiB segments and several parts
    const top = 1.3e8;
    const composite = plainComposites(top);
    const prefix = new Uint32Array(top + 1);
    for (let k = 1; k <= top; k++) prefix[k] = prefix[k - 1]! + (composite[k] ? 0 : 1);
    const ns = [SMALL_MAX * SMALL_MAX - 1, SMALL_MAX * SMALL_MAX + 29, 17_000_011, 24_999_997, 33_554_431, 60_000_013, 99_999_989, 1.3e8];
    for (const n of ns) {
      const plan = planSieve(n);
      expect(plan.root).toBeGreaterThanOrEqual(SMALL_MAX - 1);
      expect((await countPrimes({ upTo: n, pool })).count).toBe(prefix[n]);
    }
  });

  it("lists the primes near every segment end of a range with medium primes, for 1, 2 and 3 workers", async () => {
    const n = 20_000_003;
    const plan = planSieve(n);
    expect(plan.root).toBeGreaterThan(SMALL_MAX);
    expect(plan.bytes / plan.segmentBytes).toBeGreaterThan(8);
    const composite = plainComposites(n);
    for (const workers of [1, 2, 3]) {
      const r = await primes({ upTo: n, pool, workers });
      // every prime within 300 numbers of a segment boundary is listed, and nothing between
      let at = 0;
      for (let edge = 30 * plan.segmentBytes; edge < n; edge += 30 * plan.segmentBytes) {
        while (r.primes[at]! < edge - 300) at++;
        const listed: number[] = [];
        for (let i = at; r.primes[i]! <= edge + 300 && i < r.primes.length; i++) listed.push(r.primes[i]!);
        const expected: number[] = [];
        for (let k = edge - 300; k <= Math.min(n, edge + 300); k++) if (!composite[k]) expected.push(k);
        expect(listed).toEqual(expected);
      }
      pool.free(r.primes);
    }
  });

});
