// runBench (wasm-mp/bench) in Node: bad options are refused before any work, naming the option;
// a small run's report, table and chart agree with its samples.
import { cpus } from "node:os";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../dist/index.js";
import { benchChartSvg, formatReport, runBench } from "../../dist/bench/node.js";

describe("runBench options", () => {
  it.each([
    [{ suites: ["pi", "nope"] }, "suites"],
    [{ suites: [] }, "suites"],
    [{ workers: 0 }, "workers"],
    [{ workers: 2.5 }, "workers"],
    [{ quick: "yes" }, "quick"],
    [{ slowdown: { pi: 0 } }, "slowdown.pi"],
    [{ slowdown: { nope: 2 } }, "slowdown"],
    [{ onProgress: 3 }, "onProgress"],
  ])("refuses %j with an InvalidArgumentError naming %s", async (options, parameter) => {
    const e = await runBench(options as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as InvalidArgumentError).parameter).toBe(parameter);
  });

  it("refuses an option it does not know, naming it", async () => {
    await expect(runBench({ quick: true, sizes: 3 } as never)).rejects.toThrow(/sizes/);
  });
});

describe("a quick run of the pi and dispatch suites on 1..2 workers", () => {
  it("reports in suite order, with progress for each suite and case, a table and a chart from the same figures", async () => {
    const events: string[] = [];
    const report = await runBench({
      suites: ["dispatch", "pi"], quick: true, workers: 2,
      onProgress: (e) => events.push(e.type === "suite" ? `suite ${e.suite}` : `case ${e.suite} ${e.done}/${e.total}`),
    });
    expect(report.suites.map((s) => s.name)).toEqual(["pi", "dispatch"]);
    expect(events).toEqual([
      "suite pi", "case pi 1/5", "case pi 2/5", "case pi 3/5", "case pi 4/5", "case pi 5/5",
      "suite dispatch", "case dispatch 1/3", "case dispatch 2/3", "case dispatch 3/3",
    ]);
    const pi = report.suites[0]!;
    expect(pi.cases.map((c) => c.id)).toEqual(["pi/js", "pi/wasm-scalar", "pi/wasm-simd", "pi/pool-1", "pi/pool-2"]);
    expect(pi.baseline).toBe("pi/js");
    expect(report.suites[1]!.baseline).toBe("dispatch/raw");
    expect(report.machine.cpuModel).toBe(cpus()[0]!.model.trim());

    const table = formatReport(report);
    expect(table).toContain(`CPU: ${cpus()[0]!.model.trim()}, `);
    for (const c of pi.cases) {
      const line = table.split("\n").find((l) => l.startsWith(c.name))!;
      expect(line, c.name).toContain(`${c.speedup! >= 10 ? c.speedup!.toFixed(1) : c.speedup!.toFixed(2)}×`);
    }
    const svg = benchChartSvg(report);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(`pi, 2 workers: ${(pi.cases[3]!.nsPerItem / pi.cases[4]!.nsPerItem).toFixed(2)}×`);
  }, 120_000);
});

describe("a case whose operation fails", () => {
  it.each([["async", true], ["sync", false]] as const)("fails the suite, naming the case and the error, without hanging (%s)", async (_kind, isAsync) => {
    const { timeCases } = await import("../../dist/bench/runner.js");
    let calls = 0;
    const fails = {
      kind: "js" as const, workers: 0, name: "fails on its third call", items: 1, itemName: "items",
      run: isAsync
        ? async () => { if (++calls > 2) throw new Error("boom"); }
        : () => { if (++calls > 2) throw new Error("boom"); },
    };
    const fine = { kind: "latency" as const, workers: 0, name: "fine", items: 1, itemName: "items", run: () => 1 };
    const started = performance.now();
    await expect(timeCases("pi", [fails, fine], new Set(isAsync ? [fails] : []), true)).rejects.toThrow('benchmark case "fails on its third call" of suite pi failed: boom');
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);
});

describe("runBench with a signal", () => {
  it("stops within the case being timed when aborted, rejecting with an AbortError", async () => {
    const { AbortError } = await import("../../dist/index.js");
    const controller = new AbortController();
    let aborted = 0;
    const cases: string[] = [];
    const run = runBench({
      suites: ["pi", "primes"], quick: true, workers: 2, signal: controller.signal,
      onProgress: (e) => {
        if (e.type === "case") cases.push(e.name);
        if (e.type === "case" && e.done === 1) { aborted = performance.now(); controller.abort(); }
      },
    });
    const e = await run.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect(performance.now() - aborted).toBeLessThan(5_000);
    expect(cases).toEqual(["plain JS, 1 thread"]); // nothing timed after the abort
  }, 60_000);

  it("refuses an aborted signal before any work", async () => {
    const { AbortError } = await import("../../dist/index.js");
    await expect(runBench({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
  });
});
