// `npx wasm-mp bench` as an npm user runs it: from the packed package installed in a fresh
// project, the quick suites as one JSON report covering every suite, each number consistent with
// the samples it came from.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installInto, packPackage } from "./pack.js";

const SUITES = ["pi", "montecarlo", "primes", "leibniz", "heat", "map", "dispatch", "sync"];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe("npx wasm-mp bench from an npm install", () => {
  let dir: string;
  let app: string;
  beforeAll(() => {
    const packed = packPackage();
    dir = packed.dir;
    app = join(dir, "app");
    installInto(app, packed.tarball);
  }, 240_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it("--quick --json prints one valid JSON report covering every suite, every case with its samples", () => {
    const started = performance.now();
    const run = spawnSync("npx", ["wasm-mp", "bench", "--quick", "--json"], { cwd: app, encoding: "utf8", timeout: 180_000 });
    const wallMs = performance.now() - started;
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    console.log(`bench --quick from the installed package: ${(wallMs / 1000).toFixed(1)} s wall (${cpus()[0]?.model}, ${availableParallelism()} cores, a shared machine)`);

    expect(report.schema).toBe("wasm-mp-bench/1");
    expect(report.quick).toBe(true);
    expect(report.workers).toBe(availableParallelism());
    expect(report.machine).toMatchObject({
      runtime: "node", cpuModel: cpus()[0]!.model.trim(), cores: availableParallelism(),
      node: process.versions.node, v8: process.versions.v8, simd: true, sharedMemory: true,
    });
    expect(report.suites.map((s: { name: string }) => s.name)).toEqual(SUITES);
    for (const suite of report.suites) {
      expect(suite.cases.length, suite.name).toBeGreaterThan(0);
      const baseline = suite.cases.find((c: { id: string }) => c.id === suite.baseline);
      for (const c of suite.cases) {
        if (c.skipped) continue; // only sync's iterate step, which needs 2 workers, on a 1-core machine
        expect(c.id.startsWith(`${suite.name}/`)).toBe(true);
        expect(c.samples, c.id).toBeGreaterThanOrEqual(8);
        expect(c.details.sampleResults).toHaveLength(c.samples);
        const m = median(c.details.sampleResults);
        expect(c.details.median).toBeCloseTo(m, 15);
        expect(c.medianMs).toBeCloseTo(m * 1000, 9);
        expect(c.nsPerItem / ((m * 1e9) / c.items)).toBeCloseTo(1, 12);
        expect(c.itemsPerSecond / (c.items / m)).toBeCloseTo(1, 12);
        expect(c.details.min).toBe(Math.min(...c.details.sampleResults));
        if (baseline) expect(c.speedup / (baseline.nsPerItem / c.nsPerItem)).toBeCloseTo(1, 12);
        if (c.kind === "pool") {
          const one = suite.cases.find((x: { kind: string; workers: number }) => x.kind === "pool" && x.workers === 1);
          expect(c.efficiency / (one.nsPerItem / (c.workers * c.nsPerItem))).toBeCloseTo(1, 12);
        }
      }
    }
    // the workloads have plain JS and the pool on 1..P; π and Monte Carlo also scalar and SIMD
    const ids = report.suites.flatMap((s: { cases: Array<{ id: string }> }) => s.cases.map((c) => c.id));
    for (const w of ["pi", "montecarlo", "primes", "leibniz", "heat"]) {
      expect(ids).toContain(`${w}/js`);
      for (let p = 1; p <= availableParallelism(); p++) expect(ids).toContain(`${w}/pool-${p}`);
    }
    for (const w of ["pi", "montecarlo"]) expect(ids).toEqual(expect.arrayContaining([`${w}/wasm-scalar`, `${w}/wasm-simd`]));
    expect(ids).toEqual(expect.arrayContaining(["dispatch/raw", "dispatch/latency-ping", "dispatch/latency-apply-nop", "sync/latency-js-lock", "sync/latency-iterate-step"]));
  }, 240_000);

  it("rejects an unknown suite with a usage error naming the suites", () => {
    const run = spawnSync("npx", ["wasm-mp", "bench", "--suites", "pi,nope"], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("pi, montecarlo, primes, leibniz, heat, map, dispatch, sync");
  });
});
