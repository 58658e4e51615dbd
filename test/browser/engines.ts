// The browsers the app checks run in, behind one small interface: Debian's Chromium through
// playwright-core (CDP) and Debian's Firefox ESR through puppeteer-core (WebDriver BiDi). Never a
// downloaded browser: each is started from its executablePath, and a missing one skips its tests.
import { existsSync } from "node:fs";
import puppeteer from "puppeteer-core";
import { CHROMIUM, INSTALL_HINT as CHROMIUM_HINT, launchChromium } from "./harness.js";

export const FIREFOX = "/usr/bin/firefox-esr";
export const FIREFOX_HINT = `no Firefox ESR at ${FIREFOX}; install it with \`apt-get install -y firefox-esr\` (Debian/Ubuntu; .ci/run does this in CI)`;

/** A page opened at a URL once its app is ready (body[data-ready=true]), with what it logged and requested. */
export interface EnginePage {
  evaluate<T>(expression: string): Promise<T>;
  warnings: string[];
  errors: string[];
  requested: string[];
  close(): Promise<void>;
}

export interface Engine {
  name: "chromium" | "firefox";
  open(url: string): Promise<EnginePage>;
  close(): Promise<void>;
}

/** Why an engine's tests are skipped on this machine, or undefined where it is installed. */
export function missing(name: Engine["name"]): string | undefined {
  if (name === "chromium") return existsSync(CHROMIUM) ? undefined : CHROMIUM_HINT;
  return existsSync(FIREFOX) ? undefined : FIREFOX_HINT;
}

export async function launch(name: Engine["name"]): Promise<Engine> {
  return name === "chromium" ? launchChromiumEngine() : launchFirefox();
}

async function launchChromiumEngine(): Promise<Engine> {
  const browser = await launchChromium();
  return {
    name: "chromium",
    async open(url) {
      const page = await browser.context.newPage();
      const logged = { warnings: [] as string[], errors: [] as string[], requested: [] as string[] };
      page.on("request", (r) => logged.requested.push(new URL(r.url()).pathname.slice(1)));
      page.on("console", (m) => {
        if (m.type() === "warning") logged.warnings.push(m.text());
        if (m.type() === "error") logged.errors.push(m.text());
      });
      page.on("pageerror", (e) => logged.errors.push(String(e)));
      await page.goto(url);
      await page.waitForSelector("body[data-ready=true]", { state: "attached" }); // the body is empty, so never "visible"
      return { ...logged, evaluate: (expression) => page.evaluate(expression), close: () => page.close() };
    },
    close: () => browser.close(),
  };
}

async function launchFirefox(): Promise<Engine> {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    // no update checks, telemetry or other requests of its own while the tests run
    extraPrefsFirefox: { "app.update.enabled": false, "datareporting.policy.dataSubmissionEnabled": false, "network.captive-portal-service.enabled": false },
  });
  return {
    name: "firefox",
    async open(url) {
      const page = await browser.newPage();
      const logged = { warnings: [] as string[], errors: [] as string[], requested: [] as string[] };
      page.on("request", (r) => logged.requested.push(new URL(r.url()).pathname.slice(1)));
      page.on("console", (m) => {
        if (m.type() === "warn") logged.warnings.push(m.text());
        if (m.type() === "error") logged.errors.push(m.text());
      });
      page.on("pageerror", (e) => logged.errors.push(String(e)));
      await page.goto(url);
      await page.waitForSelector("body[data-ready=true]");
      return { ...logged, evaluate: (expression) => page.evaluate(expression) as Promise<never>, close: () => page.close() };
    },
    close: () => browser.close(),
  };
}
