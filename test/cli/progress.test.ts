import { describe, expect, it } from "vitest";
import { progressBar } from "../../dist/cli/progress.js";

/** A stream that keeps what is written, as a pipe would receive it. */
function sink() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (s: string) => (chunks.push(s), true), isTTY: false } as unknown as NodeJS.WriteStream };
}

function tick(fraction: number) {
  return { fraction, done: fraction, total: 1 } as unknown as Parameters<ReturnType<typeof progressBar>["update"]>[0];
}

describe("progress on stderr", () => {
  it("off a terminal: one line per 10 %, not one per tick", () => {
    const { chunks, stream } = sink();
    const bar = progressBar("pi", stream, "lines", 0);
    for (let i = 1; i <= 1000; i++) bar.update(tick(i / 1000));
    bar.done();
    expect(chunks.map((c) => c.replace(/ [\d.]+s\n$/, ""))).toEqual(["10", "20", "30", "40", "50", "60", "70", "80", "90"].map((p) => `pi: ${p}%`));
    expect(chunks.every((c) => c.endsWith("\n") && !c.includes("\r"))).toBe(true);
  });

  it("off a terminal: a tick that jumps several tenths prints one line, and a quick run none", () => {
    const { chunks, stream } = sink();
    const bar = progressBar("heat", stream, "lines", 0);
    bar.update(tick(0.05));
    bar.update(tick(0.47), "sweep 10");
    bar.update(tick(0.48));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatch(/^heat: 40% [\d.]+s sweep 10\n$/);

    const quick = sink();
    const quiet = progressBar("pi", quick.stream, "lines");
    for (let i = 1; i <= 100; i++) quiet.update(tick(i / 100));
    expect(quick.chunks).toEqual([]);
  });

  it("on a terminal: a bar redrawn in place and erased at the end", () => {
    const { chunks, stream } = sink();
    const bar = progressBar("pi", stream, "bar");
    bar.update(tick(0.5));
    bar.done();
    expect(chunks[0]).toMatch(/^\rpi \[#+-+\]  50% /);
    expect(chunks.at(-1)).toBe("\r\x1b[K");
  });

  it("with --json: nothing", () => {
    const { chunks, stream } = sink();
    const bar = progressBar("pi", stream, false);
    bar.update(tick(0.5));
    bar.done();
    expect(chunks).toEqual([]);
  });
});

describe("wasm-mp's progress in a pipe", () => {
  it("is a few lines of 10 % steps, in order, for a run of a few seconds", async () => {
    const { spawnSync } = await import("node:child_process");
    const main = new URL("../../dist/cli/main.js", import.meta.url).pathname;
    const started = performance.now();
    // about 3 s on one worker: progress is reported many times a second
    const r = spawnSync(process.execPath, [main, "pi", "--n", "4e9", "--workers", "1"], { encoding: "utf8", timeout: 60_000 });
    const ms = performance.now() - started;
    expect(r.status).toBe(0);
    const lines = r.stderr.split("\n").filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(9);
    for (const line of lines) expect(line).toMatch(/^pi: [1-9]0% \d+\.\ds$/);
    const steps = lines.map((l) => Number(/(\d+)%/.exec(l)![1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    if (ms > 3000) expect(lines.length).toBeGreaterThan(0); // ran long enough to report
  });
});
