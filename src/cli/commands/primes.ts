/** `wasm-mp primes`: count or list the primes up to N (segmented sieve of Eratosthenes). */
import { closeSync, openSync, writeSync } from "node:fs";
import { countPrimes, primes, PRIMES_MAX_UP_TO } from "../../workloads/primes.js";
import { UsageError, type FlagSpec, type ParsedFlags } from "../args.js";
import { CLUSTER_FLAG, JSON_FLAG, QUEUE_FLAG, WORKERS_FLAG, cliSignal, formatMs, output, progressFor, type Command } from "../command.js";
import { clusterLine, withCluster, type ClusterExtra } from "../cluster-option.js";
import { FORCE_ABOVE_BYTES, ANNOUNCE_FROM_BYTES, describeBytes } from "../output-file.js";

const UP_TO_FLAG: FlagSpec = {
  name: "up-to", type: "integer", min: 0, max: PRIMES_MAX_UP_TO, default: 1e9, metavar: "N", description: "primes p ≤ N",
};
const FLAGS: FlagSpec[] = [
  UP_TO_FLAG,
  { name: "count-only", type: "boolean", description: "count (and sum) the primes without keeping the list" },
  { name: "out", type: "string", metavar: "FILE", output: true, description: "write the primes to FILE, one per line" },
  { name: "force", type: "boolean", description: "allow an --out file that may pass 100 MB" },
  WORKERS_FLAG,
  CLUSTER_FLAG,
  QUEUE_FLAG,
  JSON_FLAG,
];

/**
 * Writes an ascending list of non-negative integers, one per line, through a 1 MiB buffer: no
 * string for the whole list is ever built. The decimal digits of the current value are kept and
 * advanced by each gap with carries (gaps between primes are small), instead of dividing each
 * value by 10 digit by digit.
 */
export function writePrimes(path: string, list: ArrayLike<number>): number {
  const fd = openSync(path, "w");
  const buffer = Buffer.allocUnsafe(1 << 20);
  const WIDTH = 24;
  const digits = new Uint8Array(WIDTH).fill(48); // right-aligned decimal of `current`
  let current = 0;
  let length = 1;
  let at = 0;
  let written = 0;
  try {
    for (let i = 0; i < list.length; i++) {
      const v = list[i]!;
      if (v < current) throw new RangeError(`writePrimes needs an ascending list; ${v} follows ${current}`);
      let gap = v - current;
      current = v;
      let carry = 0;
      for (let d = WIDTH - 1; gap > 0 || carry; d--) {
        const s = digits[d]! - 48 + (gap % 10) + carry;
        gap = Math.floor(gap / 10);
        carry = s >= 10 ? 1 : 0;
        digits[d] = 48 + s - 10 * carry;
        if (WIDTH - d > length) length = WIDTH - d;
      }
      if (at > buffer.length - WIDTH - 1) {
        written += writeSync(fd, buffer, 0, at);
        at = 0;
      }
      for (let d = WIDTH - length; d < WIDTH; d++) buffer[at++] = digits[d]!;
      buffer[at++] = 10;
    }
    if (at) written += writeSync(fd, buffer, 0, at);
  } finally {
    closeSync(fd);
  }
  return written;
}

/**
 * An upper bound on the bytes of the list of primes ≤ upTo, one per line, known before sieving:
 * π(x) ≤ x/ln x · (1 + 1/ln x + 2.51/ln² x) for x ≥ 355991 (Dusart 2010), π(x) < 1.25506 x/ln x
 * for x > 1 (Rosser and Schoenfeld 1962), times the digits of upTo plus a newline.
 */
export function listBytesBound(upTo: number): number {
  if (upTo < 2) return 0;
  const ln = Math.log(upTo);
  const count = upTo >= 355991 ? (upTo / ln) * (1 + 1 / ln + 2.51 / (ln * ln)) : Math.max(1, 1.25506 * upTo / ln);
  return Math.ceil(count) * (String(upTo).length + 1);
}

/** The exact bytes writePrimes writes for an ascending list: digits per power of ten, found by bisection. */
export function listBytes(list: ArrayLike<number>): number {
  let bytes = 0;
  let from = 0;
  for (let digits = 1, limit = 10; from < list.length; digits++, limit *= 10) {
    let lo = from;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! < limit) lo = mid + 1;
      else hi = mid;
    }
    bytes += (lo - from) * (digits + 1);
    from = lo;
  }
  return bytes;
}

function group(n: number | bigint): string {
  return n.toLocaleString("en-US");
}

/** `wasm-mp primes`. */
export const primesCommand: Command = {
  name: "primes",
  summary: "count or list the primes up to N (segmented sieve of Eratosthenes)",
  usage: "primes [--up-to N] [--count-only] [--out FILE [--force]] [--workers P] [--cluster URL [--queue NAME]] [--json]",
  flags: FLAGS,
  details: [
    "Examples: wasm-mp primes --up-to 1e10 --count-only",
    "          wasm-mp primes --up-to 1e7 --out primes.txt",
    "The list needs 4 bytes per prime below 2^32 (8 beyond) in shared memory: about 203 MB to 1e9.",
    `An --out file that may pass ${FORCE_ABOVE_BYTES / 1e6} MB (N above about 1.8e8; to 1e9 it is 502 MB) needs --force;`,
    `a write of ${ANNOUNCE_FROM_BYTES / 1e6} MB or more says its size on stderr before it starts.`,
    "--json prints count, last, sum (a decimal string: sums pass 2^53), workers, elapsedMs.",
  ].join("\n"),
  async run(flags: ParsedFlags) {
    const upTo = flags["up-to"] as number;
    const outPath = flags.out as string | undefined;
    const countOnly = flags["count-only"] === true;
    if (countOnly && outPath !== undefined) throw new UsageError("--out needs the list: drop --count-only", "primes");
    if (flags.force === true && outPath === undefined) throw new UsageError("--force only applies to --out", "primes");
    if (outPath !== undefined && flags.force !== true && listBytesBound(upTo) > FORCE_ABOVE_BYTES) {
      throw new UsageError(`--out would write up to ${describeBytes(listBytesBound(upTo))} for --up-to ${group(upTo)}; ` +
        `add --force to write more than ${FORCE_ABOVE_BYTES / 1e6} MB, or lower --up-to`, "primes");
    }
    const workers = flags.workers as number | undefined;
    if (flags.cluster !== undefined && !countOnly) throw new UsageError("--cluster needs --count-only: the list is built in one machine's memory", "primes");
    const bar = progressFor(flags, "primes");
    const onProgress = (p: Parameters<typeof bar.update>[0]) => bar.update(p);
    let result;
    let writeMs: number | undefined;
    let extra: ClusterExtra | undefined;
    if (countOnly) {
      [result, extra] = await withCluster(flags, "primes", async (pool, extra) =>
        [await countPrimes({ upTo, workers, pool, sum: true, signal: cliSignal(), onProgress }), extra()] as const);
      bar.done();
    } else {
      const listed = await primes({ upTo, workers, signal: cliSignal(), onProgress });
      bar.done();
      try {
        if (outPath !== undefined) {
          const bytes = listBytes(listed.primes);
          if (bytes >= ANNOUNCE_FROM_BYTES && !flags.json) process.stderr.write(`primes: writing ${describeBytes(bytes)} to ${outPath}\n`);
          const started = performance.now();
          writePrimes(outPath, listed.primes);
          writeMs = performance.now() - started;
        }
      } finally {
        listed.pool.free(listed.primes);
      }
      result = listed;
    }
    const sum = result.sum ?? 0n;
    output(flags, {
      upTo, count: result.count, last: result.last, sum: sum.toString(), workers: result.workers,
      backend: result.backend, parts: result.parts, elapsedMs: result.elapsedMs,
      ...(outPath !== undefined ? { out: outPath, writeMs } : {}),
      ...extra,
    }, [
      `π(${group(upTo)}) = ${group(result.count)}`,
      `largest prime ${result.last === null ? "none" : group(result.last)}, sum ${group(sum)}`,
      `${result.workers} worker${result.workers === 1 ? "" : "s"} (${result.backend}), ${result.parts} parts, ${countOnly ? "count" : "list"} in ${formatMs(result.elapsedMs)}`,
      ...clusterLine(extra),
      ...(outPath !== undefined ? [`wrote ${outPath} in ${formatMs(writeMs!)}`] : []),
    ]);
  },
  scaling: {
    flags: [UP_TO_FLAG],
    async run(flags, workers, pool) {
      const r = await countPrimes({ upTo: flags["up-to"] as number, workers, pool, signal: cliSignal() });
      return { elapsedMs: r.elapsedMs, result: `π = ${r.count}` };
    },
  },
};
