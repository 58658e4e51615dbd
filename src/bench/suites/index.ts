/** Every suite, in the order they run and print. One definition each, for the CLI, browsers and `npm run bench`. */
import type { SuiteName } from "../schema.js";
import type { SuiteDef } from "../suite-def.js";
import { dispatchSuite, mapSuite } from "./pool-calls.js";
import { syncSuite } from "./sync.js";
import { heatSuite, leibnizSuite, monteCarloSuite, piSuite, primesSuite } from "./workloads.js";

export const SUITES: readonly SuiteDef[] = [piSuite, monteCarloSuite, primesSuite, leibnizSuite, heatSuite, mapSuite, dispatchSuite, syncSuite];

export function suiteByName(name: SuiteName): SuiteDef {
  return SUITES.find((s) => s.name === name)!;
}
