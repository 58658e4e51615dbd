// The cluster (BullMQ on Redis): the overhead of one part-job through Redis, and π at N = 1e10
// on 1, 2 and 3 `wasm-mp worker` processes against the local pool. Starts its own redis-server
// on a free port (Debian package redis-server) and its own workers. On one 2-core machine this
// shows the overhead, not scaling: every worker process shares the same cores.
// Run: node bench/cluster.bench.js [--quick]   (after npm run build)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createServer } from "node:net";
import { createCluster, createPool, pi } from "../dist/index.js";
import { formatMs } from "./suite.js";
import { cpuModel } from "./cpu.js";

if (spawnSync("redis-server", ["--version"]).status !== 0) {
  console.log("cluster bench skipped: no redis-server (Debian: apt-get install redis-server)");
  process.exit(0);
}
const quick = process.argv.includes("--quick");
const N = quick ? 1e9 : 1e10;
const ROUNDS = quick ? 2 : 3;
const cli = new URL("../dist/cli/main.js", import.meta.url).pathname;
const cpu = cpuModel();

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const url = `redis://127.0.0.1:${port}`;
const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 500));

const workers = [];
async function startWorker() {
  const w = spawn(process.execPath, [cli, "worker", "--cluster", url], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise((resolve, reject) => {
    let out = "";
    w.stderr.on("data", (d) => { out += d; if (out.includes("takes part-jobs")) resolve(); });
    w.once("exit", (code) => reject(new Error(`worker exited (${code}): ${out}`)));
  });
  workers.push(w);
}
async function stopWorker() {
  const w = workers.pop();
  w.kill("SIGTERM");
  await new Promise((r) => w.once("exit", r));
}

const results = { cpu, cores: availableParallelism(), n: N };
try {
  await startWorker();
  const cluster = await createCluster({ connection: url });
  const one = { kernel: "piMidpointSimd", args: [1], spec: { scheme: "block", start: 1, end: 2, parts: 1, blockSize: 1 }, privateMemory: {} };

  // --- one part-job through Redis: enqueue → result, and each further part-job of a job ------
  for (let i = 0; i < 20; i++) await cluster.runRange(one); // warm: module compiled, connections up
  const times = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await cluster.runRange(one);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const perJob = times[times.length >> 1];
  // a job of K one-term part-jobs on one worker: the slope is the cost of each further part-job
  const K = 400;
  const many = await createCluster({ connection: url, partsPerJob: 1 });
  const manyJob = { ...one, args: [K], spec: { scheme: "block", start: 1, end: K + 1, parts: K, blockSize: 1 } };
  await many.runRange(manyJob);
  const slopes = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await many.runRange(manyJob);
    slopes.push((performance.now() - t - perJob) / (K - 1));
  }
  const perPartJob = Math.min(...slopes);
  await many.close();
  // a plain Redis round trip, for scale
  const { Redis } = await import("ioredis");
  const r = new Redis(url);
  await r.ping();
  const pings = [];
  for (let i = 0; i < 500; i++) { const t = performance.now(); await r.ping(); pings.push(performance.now() - t); }
  pings.sort((a, b) => a - b);
  r.disconnect();
  results.redisPingMs = pings[pings.length >> 1];
  results.rangeJobOfOnePartJobMs = perJob;
  results.eachFurtherPartJobMs = perPartJob;
  console.log(`\ncluster overhead (${cpu})`);
  console.log(`  Redis PING round trip              median ${formatMs(results.redisPingMs)}`);
  console.log(`  range job of one part-job          median ${formatMs(perJob)}   (flow add → worker → events → collect)`);
  console.log(`  each further part-job of a job            ${formatMs(perPartJob)}   (one worker, back to back; best of 3)`);

  // --- π at N on the local pool and on 1, 2, 3 worker processes, interleaved ------------------
  const local = await createPool();
  await pi({ n: 1e8, pool: local });
  await pi({ n: 1e8, pool: cluster });
  const best = { local: Infinity, 1: Infinity, 2: Infinity, 3: Infinity };
  let value;
  for (let round = 0; round < ROUNDS; round++) {
    const t = performance.now();
    value = (await pi({ n: N, pool: local })).value;
    best.local = Math.min(best.local, performance.now() - t);
    for (const m of [1, 2, 3]) {
      while (workers.length < m) await startWorker();
      while (workers.length > m) await stopWorker();
      const t0 = performance.now();
      const r = await pi({ n: N, pool: cluster });
      best[m] = Math.min(best[m], performance.now() - t0);
      if (!Object.is(r.value, value)) throw new Error(`cluster π ${r.value} differs from local ${value}`);
    }
  }
  results.piMs = best;
  console.log(`\npi N = ${N.toExponential(0)}: best of ${ROUNDS}, interleaved (${cpu}, ${availableParallelism()} cores; every process on the same cores)`);
  console.log(`  local pool                         ${formatMs(best.local)}`);
  for (const m of [1, 2, 3]) console.log(`  cluster, ${m} worker process${m > 1 ? "es" : "  "}        ${formatMs(best[m])}   ×${(best[m] / best.local).toFixed(2)} of local`);
  await local.close();
  await cluster.close();
} finally {
  while (workers.length) await stopWorker();
  redis.kill("SIGKILL");
}
const folder = new URL("results", import.meta.url).pathname;
mkdirSync(folder, { recursive: true });
writeFileSync(`${folder}/cluster.json`, JSON.stringify(results, null, 2) + "\n");
