/**
 * A plain Philox4x32-10 (Salmon et al., SC11) and Monte Carlo π's sample definition
 * (docs/algorithms.md, assembly/montecarlo.ts), written independently of the kernels: the
 * reference for the workload's and the CLI's hit counts.
 */

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;

/** [hi, lo] of the 64-bit product a·m of two u32, exact in f64 through 16-bit halves of a. */
function mulhilo(a: number, m: number): [number, number] {
  const hi = Math.floor(((a >>> 16) * m + Math.floor(((a & 0xffff) * m) / 65536)) / 65536);
  return [hi >>> 0, Math.imul(a, m) >>> 0];
}

export function philox(ctr: readonly number[], key: readonly number[]): number[] {
  let [c0, c1, c2, c3] = ctr as [number, number, number, number];
  let [k0, k1] = key as [number, number];
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulhilo(c0, M0);
    const [hi1, lo1] = mulhilo(c2, M1);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/** Random123's kat_vectors for philox4x32_10: counter, key, expected output. */
export const KAT: Array<[number[], number[], number[]]> = [
  [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
];

// ---- The sample definition of docs/algorithms.md, computed in full for every sample ----

/** The Philox key the documentation gives for a seed: (seed mod 2^32, ⌊seed / 2^32⌋). */
export function keyOf(seed: number | bigint): number[] {
  const s = BigInt(seed);
  return [Number(s % 2n ** 32n), Number(s / 2n ** 32n)];
}

export const digitsOf = (w: number): [number, number] => [w >>> 17, (w & 0xffff) >>> 1];

export function counterWords(c: number, c2: number, key: number[]): number[] {
  return philox([c % 2 ** 32, Math.floor(c / 2 ** 32), c2, 0], key);
}

/** Whether sample i hits, from its primary and refinement words, tested exactly with BigInt. */
export function referenceHit(i: number, key: number[]): boolean {
  const c = Math.floor(i / 4), k = i % 4;
  const [a, b] = digitsOf(counterWords(c, 0, key)[k]!);
  const [a2, b2] = digitsOf(counterWords(c, 1, key)[k]!);
  const x = BigInt(2 * (a * 2 ** 15 + a2) + 1);
  const y = BigInt(2 * (b * 2 ** 15 + b2) + 1);
  return x * x + y * y < 2n ** 62n;
}

export function referenceHits(start: number, end: number, key: number[]): number {
  let hits = 0;
  for (let i = start; i < end; i++) if (referenceHit(i, key)) hits++;
  return hits;
}

/**
 * The same count for long ranges, faster: a sample whose 2^15-grid cell (from its primary word)
 * lies wholly inside the quarter disc hits wherever in the cell the refinement puts it, and one
 * wholly outside misses; only the straddling ones need the refinement word. Returns the hits and
 * how many samples were straddling, so a test can say how much it exercised the refinement.
 */
export function referenceHitsFast(start: number, end: number, key: number[]): { hits: number; straddling: number } {
  let hits = 0, straddling = 0;
  for (let c = Math.floor(start / 4); 4 * c < end; c++) {
    const words = counterWords(c, 0, key);
    for (let k = 0; k < 4; k++) {
      const i = 4 * c + k;
      if (i < start || i >= end) continue;
      const [a, b] = digitsOf(words[k]!);
      if (a * a + b * b >= 2 ** 30) continue;
      if ((a + 1) ** 2 + (b + 1) ** 2 <= 2 ** 30) { hits++; continue; }
      straddling++;
      if (referenceHit(i, key)) hits++;
    }
  }
  return { hits, straddling };
}

/** Samples whose primary 2^15-grid cell straddles the circle: the ones the refinement word decides. */
export function straddlingSamples(count: number, key: number[]): number[] {
  const found: number[] = [];
  for (let c = 0; c < count / 4; c++) {
    counterWords(c, 0, key).forEach((w, k) => {
      const [a, b] = digitsOf(w);
      if (a * a + b * b < 2 ** 30 && (a + 1) ** 2 + (b + 1) ** 2 > 2 ** 30) found.push(4 * c + k);
    });
  }
  return found;
}

