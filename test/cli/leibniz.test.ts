import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const cli = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const BC: Array<{ from: number; to: number; digits: number; bc: string }> =
  JSON.parse(readFileSync(new URL("../fixtures/leibniz-bc.json", import.meta.url), "utf8"));

function wasmMp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("wasm-mp leibniz", () => {
  it("--json prints the bc value as the string field value", () => {
    const expected = BC.find((c) => c.from === 0 && c.to === 100_000 && c.digits === 60)!.bc;
    const r = wasmMp("leibniz", "--from", "0", "--to", "1e5", "--digits", "60", "--workers", "2", "--json");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.value).toBe(expected);
    expect(out.terms).toBe(1e5);
    expect(typeof out.elapsedMs).toBe("number");
  });

  it("prints the value alone on the first line without --json", () => {
    const r = wasmMp("leibniz", "--from", "3", "--to", "4", "--digits", "4");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("-.5714");
  });

  const bad: Array<[string[], RegExp]> = [
    [["--from", "-1"], /--from "-1" is not allowed: an integer from 0 to 1e12/],
    [["--digits", "0"], /--digits "0" is not allowed: an integer from 1 to 10000/],
    [["--digits", "20000"], /--digits "20000" is not allowed: an integer from 1 to 10000/],
    [["--to", "1.5"], /--to "1.5" is not allowed/],
    [["--from", "10", "--to", "5"], /to must be an integer from 10 \(from\) to /],
    [["--scale", "5"], /unknown option --scale for "leibniz"; known options: --from, --to, --digits/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 and says what is allowed for: leibniz ${args.join(" ")}`, () => {
      const r = wasmMp("leibniz", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
  }

  it("is a workload of wasm-mp scaling", () => {
    const svg = join(mkdtempSync(join(tmpdir(), "wasm-mp-scaling-")), "chart.svg");
    const r = wasmMp("scaling", "leibniz", "--to", "2e5", "--digits", "40", "--max-workers", "2", "--repeat", "1", "--svg", svg, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows.map((row: { workers: number }) => row.workers)).toEqual([1, 2]);
    expect(new Set(out.rows.map((row: { result: string }) => row.result)).size).toBe(1);
  });
});
