import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CRUISE = join(ROOT, "node_modules/.bin/depcruise");

function cruise(...args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(CRUISE, ["--config", ".dependency-cruiser.cjs", "--output-type", "err", ...args], { cwd: ROOT, encoding: "utf8" }) };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: err.stdout + err.stderr };
  }
}

describe("the import rules of src/ (.dependency-cruiser.cjs)", () => {
  it("hold: no import cycles, no import against the layers", () => {
    const { code, out } = cruise("src");
    expect(out).toContain("no dependency violations found");
    expect(code).toBe(0);
  });

  it("catch a cycle of type-only imports (the checker is not vacuous)", () => {
    const { code, out } = cruise("test/fixtures/layers");
    expect(code).not.toBe(0);
    expect(out).toMatch(/no-circular/);
  });
});
