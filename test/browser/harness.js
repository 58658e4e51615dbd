// What the browser test and the browser bench share: building the example app with Vite,
// serving it from 127.0.0.1 with or without cross-origin isolation, and starting Debian's
// Chromium through playwright-core (never a downloaded browser).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { build } from "vite";

export const CHROMIUM = "/usr/bin/chromium";
export const INSTALL_HINT = `no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (Debian/Ubuntu; .ci/run does this in CI)`;

export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

const EXAMPLE = fileURLToPath(new URL("../../examples/browser/", import.meta.url));

/** Builds examples/browser (against the built dist/) into a temporary folder; returns it. */
/** @returns {Promise<string>} */
export async function buildExample() {
  const outDir = mkdtempSync(join(tmpdir(), "wasm-mp-example-"));
  await build({
    configFile: join(EXAMPLE, "vite.config.js"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** @type {Record<string, string>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
};

/** Serves `root` on 127.0.0.1 (a free port), with the isolation headers on every response or none. */
/**
 * @param {string} root
 * @param {boolean} isolated
 * @param {{ notFound?: RegExp, headers?: Record<string, string> }} [options] paths answered with 404 though they exist; more headers on every response
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function serve(root, isolated, options = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile() || options.notFound?.test(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": "no-store",
      ...(isolated ? ISOLATION_HEADERS : {}),
      ...options.headers,
    });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the test server has no port");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve(undefined)); }),
  };
}

/**
 * Headless Chromium with a fresh profile, deleted on close.
 * @returns {Promise<{ context: import("playwright-core").BrowserContext, close(): Promise<void> }>}
 */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), "wasm-mp-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Hex of the numbers' IEEE-754 bytes, as the example page writes them (data-bits).
 * @param {ArrayLike<number>} numbers
 */
export function bitsHex(numbers) {
  return Buffer.from(Float64Array.from(numbers).buffer).toString("hex");
}
