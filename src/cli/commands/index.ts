/** Every command of the CLI, in the order --help lists them. A workload adds its command here. */
import type { Command } from "../command.js";
import { piCommand } from "./pi.js";
import { primesCommand } from "./primes.js";
import { scalingCommand } from "./scaling.js";

const workloads: Command[] = [piCommand, primesCommand];

export const commands: Command[] = [...workloads, scalingCommand(workloads)];
