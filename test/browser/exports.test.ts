// The browser entry: found through the package's exports, with the API of the Node entry.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url);

describe("the browser entry", () => {
  it("is the \"browser\" condition for bundlers that set a mode, ahead of \"node\" and \"default\"; the embedded entry otherwise", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
    const conditions = pkg.exports["."];
    // Vite, webpack, Parcel and Rollup's node-resolve set "production" or "development" and follow
    // new URL(…, import.meta.url); esbuild sets neither and gets the self-contained entry
    expect(conditions.browser).toEqual({ production: "./dist/browser.js", development: "./dist/browser.js", default: "./dist/browser-embedded.js" });
    const order = Object.keys(conditions);
    expect(order.indexOf("browser")).toBeLessThan(order.indexOf("node"));
    expect(order.indexOf("browser")).toBeLessThan(order.indexOf("default"));
    // Rollup's node-resolve without { browser: true } matches "module", never "node"; Node matches "node" first
    expect(order.indexOf("node")).toBeLessThan(order.indexOf("module"));
    expect(conditions.module).toBe("./dist/browser-embedded.js");
    expect(conditions.node).toBe("./dist/index.js");
    expect(conditions.default).toBe("./dist/index.js");
    // Parcel resolves "exports" only when an app opts in: it reads the "browser" field
    expect(pkg.browser).toBe("./dist/browser.js");
    expect(pkg.exports["./embedded"].default).toBe("./dist/browser-embedded.js");
  });

  it("exports the same names as the Node entry, as does the embedded entry", async () => {
    const node = await import("../../dist/index.js");
    const browser = await import("../../dist/browser.js");
    const embedded = await import("../../dist/browser-embedded.js");
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
    expect(Object.keys(embedded).sort()).toEqual(Object.keys(node).sort());
  });

  it("is in the published files, with its worker script and the .wasm", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const f of ["dist/browser.js", "dist/platform/browser.js", "dist/platform/web-backend.js", "dist/platform/web-worker.js", "build/kernels.wasm",
      "dist/browser-embedded.js", "dist/embedded/kernels.js", "dist/embedded/worker.js"]) {
      expect(files).toContain(f);
    }
  });
});
