import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;

describe("the published package", () => {
  it("packs, installs from the tarball, imports, and runs its CLI", () => {
    const dir = mkdtempSync(join(tmpdir(), "wasm-mp-pack-"));
    execFileSync("npm", ["pack", "--pack-destination", dir, "--ignore-scripts"], { cwd: root, stdio: "pipe" });
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const listing = execFileSync("tar", ["-tzf", join(dir, tarball)], { encoding: "utf8" });
    expect(listing).toContain("package/build/kernels.wasm");
    expect(listing).toContain("package/dist/platform/node-worker.js");
    expect(listing).toContain("package/dist/cli/main.js");

    const app = join(dir, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(dir, tarball)], { cwd: app, stdio: "pipe" });

    writeFileSync(join(app, "main.js"), `import { pi, close } from "wasm-mp";
const r = await pi({ n: 1e7, workers: 2 });
console.log(JSON.stringify({ value: r.value, workers: r.workers }));
await close();`);
    const run = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(Math.abs(JSON.parse(run.stdout).value - Math.PI)).toBeLessThan(1e-12);

    const cli = spawnSync(join(app, "node_modules", ".bin", "wasm-mp"), ["pi", "--n", "1e6", "--json"], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).n).toBe(1e6);
  }, 180_000);
});
