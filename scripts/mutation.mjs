#!/usr/bin/env node
// npm run test:mutation -- <scope> [stryker options]: StrykerJS over one folder of src/, with the
// tests that exercise it, incrementally (each scope keeps its own reports/stryker-incremental-*.json,
// so a rerun tests only mutants whose code or covering tests changed). Scopes: plan, workloads,
// sync, pool; "all" runs them one after another. Extra options go to Stryker, e.g.
//   npm run test:mutation -- workloads --mutate src/workloads/pi.ts --concurrency 1
// Slow on a small machine: the first run of "workloads" takes about an hour on 2 cores.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The pool tests that take seconds, not minutes (see "pool-core"). */
const POOL_FAST_TESTS = [
  "test/pool/core.test.ts", "test/pool/pool.test.ts", "test/pool/map.test.ts", "test/pool/map-reduce.test.ts",
  "test/pool/imap-cancel.test.ts", "test/pool/iterate.test.ts", "test/pool/range-job.test.ts", "test/pool/team-job.test.ts",
  "test/pool/private-range.test.ts", "test/pool/python-pool.test.ts", "test/pool/js-kernels.test.ts", "test/pool/faults.test.ts",
  "test/pool/abort-mid-call.test.ts", "test/pool/tickets.test.ts", "test/pool/job-mutants.test.ts",
  "test/pool/jobs-mutants.test.ts",
  "test/pool/imap-lazy.test.ts", "test/pool/map-fail-policy.test.ts", "test/pool/js-kernels-calls.test.ts", "test/pool/max-tasks.test.ts",
  "test/pool/path-warm-up.test.ts",
];

/** Each scope: the sources mutated, and the test files that can kill their mutants. */
const SCOPES = {
  plan: { mutate: ["src/plan/**/*.ts"], tests: ["test/plan/**/*.test.ts"] },
  workloads: { mutate: ["src/workloads/**/*.ts"], tests: ["test/workloads/**/*.test.ts", "test/plan/**/*.test.ts"] },
  // the same, a few files at a time: the whole of "workloads" takes hours on a loaded 2-core machine
  "workloads-core": {
    mutate: ["src/workloads/define.ts", "src/workloads/pi.ts", "src/workloads/montecarlo*.ts"],
    tests: ["test/workloads/define.test.ts", "test/workloads/pi.test.ts", "test/workloads/montecarlo.test.ts", "test/plan/**/*.test.ts"],
  },
  "workloads-leibniz": { mutate: ["src/workloads/leibniz.ts"], tests: ["test/workloads/leibniz.test.ts"] },
  "workloads-primes": { mutate: ["src/workloads/primes*.ts"], tests: ["test/workloads/primes*.test.ts", "test/workloads/sieve-*.test.ts", "test/pool/private-range.test.ts"] },
  "workloads-heat": { mutate: ["src/workloads/heat*.ts"], tests: ["test/workloads/heat*.test.ts"] },
  // the primitives' own tests (heat's plate tests also use a Barrier, at minutes per mutant: left out)
  sync: {
    mutate: ["src/sync/**/*.ts"], tests: ["test/sync/**/*.test.ts", "test/pool/team-job.test.ts"],
    // its child processes fail under Stryker's runner (they pass under vitest run)
    exclude: ["test/sync/async-waits.test.ts"],
  },
  pool: { mutate: ["src/pool/**/*.ts"], tests: ["test/pool/**/*.test.ts", "test/plan/**/*.test.ts", "test/sync/**/*.test.ts"] },
  // the pool core, a file or two at a time (the whole of "pool" is ~1000 mutants: many hours
  // here), with the pool tests that finish in seconds (documented.test.ts's 64 workers and long
  // kernels, kernel-wakeups' deadlines and exit.test's child processes left out: a surviving
  // mutant reruns every test that covers it)
  "pool-core": { mutate: ["src/pool/placement.ts", "src/pool/tickets.ts", "src/platform/control-block.ts"], tests: POOL_FAST_TESTS },
  // ~250 mutants: about two hours on the shared 2-core host
  "pool-job": { mutate: ["src/pool/job.ts"], tests: POOL_FAST_TESTS },
  "pool-jobs": { mutate: ["src/pool/jobs/*.ts"], tests: [...POOL_FAST_TESTS, "test/pool/parts-reclaim.test.ts"] },
  "pool-map-task": {
    mutate: ["src/pool/map.ts", "src/pool/imap.ts", "src/platform/task.ts", "src/platform/item-loops.ts"],
    tests: [...POOL_FAST_TESTS, "test/platform/task-here.test.ts", "test/platform/task-traps-here.test.ts", "test/platform/item-loops.test.ts",
      "test/pool/imap-windows.test.ts", "test/pool/map-mutants.test.ts"],
  },
  // the packing of a map's items (item-packing.ts), with the map tests that pack
  "pool-packing": {
    mutate: ["src/pool/item-packing.ts"],
    tests: ["test/pool/item-packing.test.ts", "test/pool/map.test.ts", "test/pool/map-mutants.test.ts", "test/pool/imap-windows.test.ts", "test/pool/imap-lazy.test.ts"],
  },
  // the task loop alone, with the tests that run it in the test's own thread (minutes, not hours)
  "platform-task": {
    mutate: ["src/platform/task.ts", "src/platform/item-loops.ts"],
    tests: ["test/platform/task-here.test.ts", "test/platform/task-traps-here.test.ts", "test/platform/item-loops.test.ts"],
  },
  // the primitives a few at a time: the whole of "sync" (~1170 mutants) takes hours here
  "sync-locks": {
    mutate: ["src/sync/mutex.ts", "src/sync/semaphore.ts", "src/sync/event.ts", "src/sync/rlock.ts"],
    tests: ["test/sync/**/*.test.ts"],
    exclude: ["test/sync/async-waits.test.ts", "test/sync/liftoff-stall.test.ts"],
  },
  // the rest of src/sync after sync-locks
  "sync-rest": {
    mutate: ["src/sync/barrier.ts", "src/sync/condition.ts", "src/sync/queue.ts", "src/sync/pipe.ts", "src/sync/value.ts",
      "src/sync/wait.ts", "src/sync/layout.ts", "src/sync/record.ts", "src/sync/owner.ts", "src/sync/spin.ts"],
    tests: ["test/sync/**/*.test.ts"],
    exclude: ["test/sync/async-waits.test.ts", "test/sync/liftoff-stall.test.ts"],
  },
  "partition2d": { mutate: ["src/plan/partition2d*.ts"], tests: ["test/plan/partition2d*.test.ts"] },
};

const [scope = "", ...extra] = process.argv.slice(2);
const names = scope === "all" ? ["plan", "workloads", "sync", "pool"] : [scope];
if (!names.every((n) => n in SCOPES)) {
  console.error(`usage: npm run test:mutation -- <${[...Object.keys(SCOPES), "all"].join("|")}> [stryker options]`);
  process.exit(2);
}
let status = 0;
for (const name of names) {
  const { mutate, tests, exclude = [] } = SCOPES[name];
  const args = [
    "run", "stryker.config.mjs",
    ...(extra.includes("--mutate") ? [] : ["--mutate", mutate.join(",")]),
    "--incrementalFile", `reports/stryker-incremental-${name}.json`,
    // scopes may run at once: each in a sandbox folder of its own
    "--tempDirName", `.stryker-tmp-${name}`,
    ...extra,
  ];
  console.log(`\n== mutation testing: ${name} (${mutate.join(", ")}; tests ${tests.join(", ")})`);
  const r = spawnSync(process.execPath, [fileURLToPath(new URL("../node_modules/@stryker-mutator/core/bin/stryker.js", import.meta.url)), ...args], {
    cwd: ROOT, stdio: "inherit", env: { ...process.env, STRYKER_TESTS: tests.join(","), STRYKER_EXCLUDE: exclude.join(","), STRYKER_SCOPE: name },
  });
  status ||= r.status ?? 1;
}
process.exit(status);
