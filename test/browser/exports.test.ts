// The browser entry: found through the package's exports, with the API of the Node entry.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url);

describe("the browser entry", () => {
  it("is the \"browser\" condition of the package's main export, ahead of \"node\" and \"default\"", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
    const conditions = pkg.exports["."];
    expect(conditions.browser).toBe("./dist/browser.js");
    const order = Object.keys(conditions);
    expect(order.indexOf("browser")).toBeLessThan(order.indexOf("node"));
    expect(order.indexOf("browser")).toBeLessThan(order.indexOf("default"));
  });

  it("exports the same names as the Node entry", async () => {
    const node = await import("../../dist/index.js");
    const browser = await import("../../dist/browser.js");
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });

  it("is in the published files, with its worker script and the .wasm", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const f of ["dist/browser.js", "dist/platform/browser.js", "dist/platform/web-backend.js", "dist/platform/web-worker.js", "build/kernels.wasm"]) {
      expect(files).toContain(f);
    }
  });
});
