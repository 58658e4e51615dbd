// The package as an npm user gets it: `npm pack` of this checkout (dist/ and build/ as built),
// installed into a fresh project in a temporary folder.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;

/** Packs this package into a new temporary folder; returns the folder and the tarball's path. */
export function packPackage(): { dir: string; tarball: string } {
  const dir = mkdtempSync(join(tmpdir(), "wasm-mp-pack-"));
  execFileSync("npm", ["pack", "--pack-destination", dir, "--ignore-scripts"], { cwd: root, stdio: "pipe" });
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz"))!);
  return { dir, tarball };
}

/** A fresh project at `app` with the tarball (and any `more` packages) installed from npm's cache or registry. */
export function installInto(app: string, tarball: string, more: string[] = []): void {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, ...more], { cwd: app, stdio: "pipe" });
}
