import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const entry = new URL("../../dist/index.js", import.meta.url).href;

function runScript(body: string): { status: number | null; stdout: string; stderr: string; ms: number } {
  const started = performance.now();
  // a file, not -e: workers inherit the parent's execArgv, and --input-type breaks them
  const file = join(mkdtempSync(join(tmpdir(), "wasm-mp-exit-")), "script.mjs");
  writeFileSync(file, `import * as mp from ${JSON.stringify(entry)};\n${body}`);
  const r = spawnSync(process.execPath, [file], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

describe("process exit", () => {
  it("a script that calls close() on its pool exits by itself", () => {
    const r = runScript(`const pool = await mp.createPool({ workers: 2 });
      const r = await mp.pi({ n: 1e8, pool });
      console.log(r.value.toFixed(6));
      await pool.close();`);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("3.141593");
  });

  it("a script that uses the default pool and calls close() exits by itself", () => {
    const r = runScript(`const r = await mp.pi({ n: 1e8 });
      console.log(r.workers > 0);
      await mp.close();`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("true");
  });

  it("idle workers do not keep a script alive even without close()", () => {
    const r = runScript(`await mp.pi({ n: 1e8 }); console.log("done");`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("done");
  });
});
