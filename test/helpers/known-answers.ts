/**
 * Known answers computed here, independently of the package: a plain sieve of Eratosthenes and
 * a plain serial Jacobi solve of the heat plate (the kernel's operation order, so the same bits).
 * For checks that would otherwise compare the package with itself (e.g. the browser with Node).
 */

/** Count, exact sum and largest of the primes ≤ n, by a plain sieve. */
export function primesUpTo(n: number): { count: number; sum: bigint; last: number } {
  const composite = new Uint8Array(n + 1);
  let count = 0, sum = 0n, last = 0, partial = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    count++;
    last = i;
    partial += i;
    if (partial > 2 ** 52) { sum += BigInt(partial); partial = 0; }
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return { count, sum: sum + BigInt(partial), last };
}

/**
 * Jacobi sweeps of the N × N heat plate with fixed edges (top = `top`, others 0, interior 0 at
 * the start) until a sweep's largest change is below `tolerance`: sweeps, the last change, and
 * the centre (the mean of the four middle cells for even N).
 */
export function serialHeat(n: number, top: number, tolerance: number, maxIterations: number): { iterations: number; maxDiff: number; centre: number; converged: boolean } {
  const w = n + 2;
  let u = new Float64Array(w * w);
  for (let c = 0; c < w; c++) u[c] = top;
  let next = u.slice();
  let iterations = 0, maxDiff = Infinity;
  while (iterations < maxIterations && !(maxDiff < tolerance)) {
    maxDiff = 0;
    for (let r = 1; r <= n; r++) {
      for (let c = 1; c <= n; c++) {
        const i = r * w + c;
        const v = 0.25 * (u[i - w]! + u[i + w]! + u[i - 1]! + u[i + 1]!);
        next[i] = v;
        maxDiff = Math.max(maxDiff, Math.abs(v - u[i]!));
      }
    }
    [u, next] = [next, u];
    iterations++;
  }
  const a = Math.floor(n / 2), b = a + 1, m = (n + 1) / 2;
  const centre = n % 2 === 0 ? (u[a * w + a]! + u[a * w + b]! + u[b * w + a]! + u[b * w + b]!) / 4 : u[m * w + m]!;
  return { iterations, maxDiff, centre, converged: maxDiff < tolerance };
}

/** The f64 whose little-endian bytes the hex string spells (examples/browser's bitsHex, undone). */
export function fromBitsHex(hex: string): number[] {
  const bytes = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  return Array.from(new Float64Array(bytes.buffer));
}
