/** `wasm-mp primes --out`: says how much it writes before a large write, and needs --force past 100 MB. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listBytes, listBytesBound } from "../../dist/cli/commands/primes.js";

const MAIN = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "wasm-mp-out-size-"));

function primes(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, "primes", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** π(10^k) for k = 0..9 (OEIS A006880). */
const PI_POW10 = [0, 4, 25, 168, 1229, 9592, 78498, 664579, 5761455, 50847534];

/** Bytes of the primes < 10^k one per line: each prime of d digits takes d + 1 bytes. */
function bytesBelowPow10(k: number): number {
  let bytes = 0;
  for (let d = 1; d <= k; d++) bytes += (PI_POW10[d]! - PI_POW10[d - 1]!) * (d + 1);
  return bytes;
}

/** A plain sieve: the primes ≤ n. */
function sieve(n: number): number[] {
  const composite = new Uint8Array(n + 1);
  const out: number[] = [];
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return out;
}

describe("the size of a primes --out file", () => {
  it("listBytes counts digits and newlines exactly", () => {
    for (const n of [0, 1, 2, 10, 97, 100, 1000, 123_456]) {
      const list = sieve(n);
      expect(listBytes(list)).toBe(list.reduce((sum, p) => sum + String(p).length + 1, 0));
    }
  });

  it("the bound known before sieving is never below the real size, and close to it", () => {
    for (let k = 1; k <= 9; k++) {
      const exact = bytesBelowPow10(k); // 10^k itself is not prime
      expect(listBytesBound(10 ** k)).toBeGreaterThanOrEqual(exact);
      if (k >= 6) expect(listBytesBound(10 ** k)).toBeLessThan(exact * 1.25);
    }
    for (const n of [2, 3, 29, 30, 1000, 65_537, 355_990, 355_991, 500_000]) {
      expect(listBytesBound(n)).toBeGreaterThanOrEqual(listBytes(sieve(n)));
    }
  });

  it("past 100 MB, --out without --force is refused before sieving, with the size", () => {
    const file = join(dir, "big.txt");
    const started = performance.now();
    const r = primes("--up-to", "1e9", "--out", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wasm-mp: --out would write up to 5\d\d,\d{3},\d{3} bytes \(5\d\d MiB\) for --up-to 1,000,000,000; add --force/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(existsSync(file)).toBe(false);
    expect(primes("--up-to", "1e6", "--force").stderr).toContain("--force only applies to --out");
  });

  it("a write of 1 MB or more says its exact size on stderr before it starts", () => {
    const file = join(dir, "primes-1e7.txt");
    const r = primes("--up-to", "1e7", "--out", file);
    expect(r.code).toBe(0);
    const bytes = bytesBelowPow10(7);
    expect(statSync(file).size).toBe(bytes);
    expect(r.stderr).toContain(`primes: writing ${bytes.toLocaleString("en-US")} bytes (5.6 MiB) to ${file}`.replace("5.6", (bytes / 2 ** 20).toFixed(1)));
  });
});
