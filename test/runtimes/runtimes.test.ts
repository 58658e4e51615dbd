// Deno and Bun as supported runtimes: every script in fixtures/ (the README's examples, a few made
// smaller; map, mapReduce, the heat plate on workers) prints under each what it prints under Node,
// having checked its known values itself (a failed check exits with code 1), and the CLI
// cases in fixtures/cli.json print what they must. Deno runs with the permissions the README
// names and no more.
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DENO_PERMISSIONS, FIXTURES, RUNTIMES, makeProject, missingHint, run, version, type Ran } from "./runtimes.js";

const SCRIPTS = readdirSync(FIXTURES).filter((f) => /\.[cm]js$/.test(f) && f !== "check.mjs").sort();
const CLI = JSON.parse(readFileSync(join(FIXTURES, "cli.json"), "utf8")) as Array<{ args: string[]; stdout: string }>;
const CLI_PATH = "node_modules/wasm-mp/dist/cli/main.js";

let project: string;
const reference = new Map<string, Ran>();

beforeAll(async () => {
  project = makeProject();
  for (const script of SCRIPTS) reference.set(script, await run(RUNTIMES.node, [`fixtures/${script}`], project));
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe(`the fixtures under Node ${process.version}, the reference`, () => {
  it("has the README's examples, map, mapReduce and the heat plate", () => {
    expect(SCRIPTS).toEqual(expect.arrayContaining(["readme-first.mjs", "readme-first.cjs", "readme-abort.mjs", "readme-run-range.mjs", "readme-workloads.mjs",
      "map.mjs", "map-reduce.mjs", "heat.mjs"]));
  });

  it.each(SCRIPTS)("%s passes its checks", (script) => {
    const ran = reference.get(script)!;
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(ran.stdout).not.toBe("");
  });
});

for (const runtime of [RUNTIMES.deno, RUNTIMES.bun]) {
  const skip = runtime.path ? undefined : missingHint(runtime);
  if (skip) console.warn(`test/runtimes/runtimes.test.ts: ${runtime.name} is skipped: ${skip}`);
  const how = runtime.name === "deno" ? ` ${DENO_PERMISSIONS.join(" ")}` : "";
  describe.skipIf(skip)(`under ${runtime.name}${how}${skip ? ` (skipped: ${skip})` : ""}`, () => {
    beforeAll(() => {
      console.log(`${runtime.name}: ${version(runtime)}`);
    });

    it.each(SCRIPTS)("%s passes its checks and prints what it prints under Node", async (script) => {
      const ran = await run(runtime, [`fixtures/${script}`], project);
      expect(ran.stderr, ran.stderr).toBe("");
      expect(ran.code).toBe(0);
      expect(ran.stdout).toBe(reference.get(script)!.stdout);
    }, 60_000);

    it.each(CLI.map((c) => [c.args.join(" "), c] as const))("wasm-mp %s", async (_, c) => {
      const ran = await run(runtime, [CLI_PATH, ...c.args], project);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(new RegExp(c.stdout));
    }, 60_000);

    if (runtime.name === "deno") {
      it("needs --allow-write, as the README says, only where the CLI writes a file", async () => {
        const args = [CLI_PATH, "heat", "--size", "32", "--top", "100", "--tolerance", "1e-3", "--png", "plate.png"];
        const refused = await run(runtime, args, project);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toMatch(/write access to "?plate\.png/i);
        expect(existsSync(join(project, "plate.png"))).toBe(false);
        const allowed = await run({ ...runtime, prefix: [...runtime.prefix, "--allow-write=."] }, args, project);
        expect(allowed.code, allowed.stderr).toBe(0);
        expect(readFileSync(join(project, "plate.png")).subarray(1, 4).toString()).toBe("PNG");
      }, 60_000);
    }
  });
}
