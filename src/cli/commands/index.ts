/** Every command of the CLI, in the order --help lists them. A workload adds its command here. */
import type { Command } from "../command.js";
import { piCommand } from "./pi.js";
import { monteCarloCommand } from "./montecarlo.js";
import { primesCommand } from "./primes.js";
import { leibnizCommand } from "./leibniz.js";
import { heatCommand } from "./heat.js";
import { scalingCommand } from "./scaling.js";
import { runCommand } from "./run.js";
import { workerCommand } from "./worker.js";
import { benchCommand } from "./bench.js";
import { initCommand } from "./init.js";

const workloads: Command[] = [piCommand, monteCarloCommand, primesCommand, leibnizCommand, heatCommand];

/** The commands in --help order. */
export const commands: Command[] = [...workloads, scalingCommand(workloads), runCommand, workerCommand, benchCommand, initCommand];
