// `wasm-mp bench --compare`: the Mann–Whitney U test against a brute-force reference, and the
// command end to end: a suite made 10× slower on purpose is flagged (and --fail-on-regression
// exits 1); a rerun of the same code is not.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareReports, mannWhitneyU } from "../../dist/bench/compare.js";

const cli = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "wasm-mp-bench-compare-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two-sided p by listing every way to split the pooled values into groups of |a| and |b| (no ties). */
function bruteForceP(a: number[], b: number[]): number {
  const all = [...a, ...b].sort((x, y) => x - y);
  const uOf = (group: Set<number>) => {
    let u = 0;
    for (const x of group) for (const y of all) if (!group.has(y) && x > y) u++;
    return u;
  };
  const observed = uOf(new Set(a));
  const us: number[] = [];
  const choose = (start: number, picked: number[]) => {
    if (picked.length === a.length) { us.push(uOf(new Set(picked))); return; }
    for (let i = start; i < all.length; i++) choose(i + 1, [...picked, all[i]!]);
  };
  choose(0, []);
  const below = us.filter((u) => u <= observed).length / us.length;
  const above = us.filter((u) => u >= observed).length / us.length;
  return Math.min(1, 2 * Math.min(below, above));
}

describe("the Mann–Whitney U test", () => {
  it("gives the exact two-sided p of complete separation, 2/C(10,5), for 5 samples against 5", () => {
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 252, 12);
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toEqual({ u: 25, p: expect.closeTo(2 / 252, 12) });
  });

  it("matches the brute-force p for samples of sizes 2..7 without ties", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [m, n] of [[2, 3], [3, 3], [4, 6], [5, 5], [6, 7], [7, 5]] as const) {
      for (let k = 0; k < 5; k++) {
        const a = Array.from({ length: m }, () => rand() + k * 0.1);
        const b = Array.from({ length: n }, () => rand());
        expect(mannWhitneyU(a, b).p, `${a} vs ${b}`).toBeCloseTo(bruteForceP(a, b), 12);
      }
    }
  });

  it("uses the normal approximation with ties, giving p = 1 for identical samples", () => {
    expect(mannWhitneyU([1, 1, 1], [1, 1, 1]).p).toBe(1);
    const p = mannWhitneyU([1, 2, 2, 3, 4, 5, 5, 6], [7, 8, 8, 9, 10, 11, 12, 12]).p;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.01);
  });
});

/**
 * The machine these tests run on is shared and loaded (load average ~20 on 2 cores): two quick
 * runs of the same code were seen more than 50% apart. The comparisons here count changes beyond
 * 100%; the slowdown they must catch is 10× (+900%).
 */
const THRESHOLD = ["--threshold", "100"];

/** A report of one suite whose cases have these samples (seconds per operation of `items` items). */
function report(cases: Record<string, { items: number; samples: number[] }>) {
  return {
    schema: "wasm-mp-bench/1", quick: true, machine: { cpuModel: "X" },
    suites: [{ name: "pi", cases: Object.entries(cases).map(([id, c]) => ({ id, name: id, items: c.items, details: { sampleResults: c.samples } })) }],
  } as never;
}

describe("compareReports", () => {
  const before = report({ "pi/js": { items: 10, samples: [1.0, 1.01, 1.02, 0.99, 1.03, 1.005, 0.98, 1.015] }, "pi/pool-1": { items: 10, samples: [2, 2, 2, 2, 2] } });

  it("calls a case slower when its samples are separated beyond the noise and the median moved past the threshold", () => {
    const after = report({ "pi/js": { items: 10, samples: [3.0, 3.02, 2.99, 3.05, 3.01, 3.04, 2.97, 3.1] }, "pi/pool-1": { items: 10, samples: [2, 2, 2, 2, 2] } });
    const cmp = compareReports(before, after);
    const js = cmp.cases.find((c: { id: string }) => c.id === "pi/js")!;
    expect(js.verdict).toBe("slower");
    expect(js.change).toBeCloseTo(3.015 / 1.0075 - 1, 9); // the medians, 3.015 s and 1.0075 s, per 10 items
    expect(js.p).toBeCloseTo(2 / 12870, 12); // 8 against 8 without ties, completely separated: 2/C(16,8)
    expect(cmp.cases.find((c: { id: string }) => c.id === "pi/pool-1")!.verdict).toBe("unchanged");
    expect(cmp.regressions.map((c: { id: string }) => c.id)).toEqual(["pi/js"]);
  });

  it("does not count a significant change smaller than the threshold (20% by default), and compares per item", () => {
    // 15% slower per item, completely separated: significant, but under the threshold
    const after = report({ "pi/js": { items: 20, samples: [2.3, 2.32, 2.34, 2.28, 2.36, 2.31, 2.26, 2.33] } });
    const cmp = compareReports(before, after);
    expect(cmp.cases[0].p).toBeLessThan(0.01);
    expect(cmp.cases[0].change).toBeCloseTo(2.315 / 20 / (1.0075 / 10) - 1, 9); // +14.9%
    expect(cmp.cases[0].verdict).toBe("unchanged");
    expect(compareReports(before, after, { threshold: 0.1 }).cases[0].verdict).toBe("slower");
    expect(cmp.unmatched).toEqual(["pi/pool-1"]);
  });
});

function bench(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, "bench", "--quick", "--suites", "pi,primes", ...args], {
    encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("wasm-mp bench --compare", () => {
  const base = join(dir, "base.json");

  it("saves a run with --out", () => {
    const r = bench(["--out", base]);
    expect(r.status, r.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(base, "utf8"));
    expect(saved.suites.map((s: { name: string }) => s.name)).toEqual(["pi", "primes"]);
  }, 120_000);

  it("flags every case of a suite made 10× slower on purpose, and --fail-on-regression exits 1", () => {
    const r = bench(["--compare", base, "--fail-on-regression", "--json", ...THRESHOLD], { WASM_MP_BENCH_SLOWDOWN: "pi=10" });
    expect(r.status, r.stderr).toBe(1);
    const { comparison } = JSON.parse(r.stdout);
    const pi = comparison.cases.filter((c: { id: string }) => c.id.startsWith("pi/"));
    expect(pi.length).toBeGreaterThanOrEqual(4);
    for (const c of pi) {
      expect(c.verdict, `${c.id}: ${c.change}`).toBe("slower");
      expect(c.change).toBeGreaterThan(1);
      expect(c.p).toBeLessThan(0.01);
    }
    expect(comparison.regressions.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(pi.map((c: { id: string }) => c.id)));
  }, 120_000);

  it("does not flag a rerun of the same code, and exits 0 with --fail-on-regression", () => {
    const r = bench(["--compare", base, "--fail-on-regression", ...THRESHOLD]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("no case slower beyond the noise");
  }, 120_000);

  it("refuses a file that is not a bench report (JSON of another kind, or not JSON), before running anything", () => {
    const json = spawnSync(process.execPath, [cli, "bench", "--compare", new URL("../../package.json", import.meta.url).pathname], { encoding: "utf8" });
    expect(json.status).toBe(2);
    expect(json.stderr).toContain("is not a wasm-mp bench report (schema wasm-mp-bench/1)");
    const text = spawnSync(process.execPath, [cli, "bench", "--compare", cli], { encoding: "utf8" });
    expect(text.status).toBe(2);
    expect(text.stderr).toContain("cannot read a JSON report there");
  });
});
