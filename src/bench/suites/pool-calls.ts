/**
 * The pool's call API: map throughput over many tiny items (plain JS loop against pool.map on
 * 1..P workers), and an empty task's round trip through the pool against a raw worker's
 * (tinypool in Node, a bare Web Worker in browsers).
 */
import { jsPiTerm } from "../reference-js.js";
import { repeated, repeatedAsync, size, workerCounts, type CaseDef, type SuiteDef } from "../suite-def.js";

export const mapSuite: SuiteDef = {
  name: "map",
  description: "pool.map over many tiny items: one midpoint term 1/(1+x²) each (the piMidpointScalar kernel over [i, i+1))",
  baseline: "js",
  async prepare(ctx) {
    const n = size(ctx, 20_000, 100_000);
    const terms = Array.from({ length: n }, (_, i) => [i + 1, i + 2, n] as const);
    const js = () => {
      let s = 0;
      for (let i = 1; i <= n; i++) s += jsPiTerm(i, n);
      return s;
    };
    // pool.map gives each item's result; compare them with the plain-JS terms
    const mapped = await ctx.pool.map("piMidpointScalar", terms);
    for (let i = 0; i < n; i++) {
      if (mapped[i] !== jsPiTerm(i + 1, n)) throw new Error(`bench check failed: map item ${i}: plain JS ${jsPiTerm(i + 1, n)}, kernel ${mapped[i]}`);
    }
    const cases: CaseDef[] = [{ kind: "js", workers: 0, name: "plain JS loop, 1 thread", items: n, itemName: "items", run: repeated(js, ctx.repeat) }];
    for (const w of workerCounts(ctx.workers)) {
      cases.push({
        kind: "pool", workers: w, name: `pool.map, ${w} worker${w > 1 ? "s" : ""}`, items: n, itemName: "items",
        run: repeatedAsync(() => ctx.pool.map("piMidpointScalar", terms, { workers: w }), ctx.repeat),
      });
    }
    return { cases, checked: `every one of the ${n} items' results (plain JS and the kernel)` };
  },
};

export const dispatchSuite: SuiteDef = {
  name: "dispatch",
  description: "an empty task's round trip: through the pool against a raw worker pool's",
  baseline: "raw",
  async prepare(ctx) {
    const raw = await ctx.rawWorker();
    // the first round trips start the workers and compile their code
    for (let i = 0; i < 20; i++) await Promise.all([raw.roundTrip(), ctx.pool.ping(), ctx.pool.apply("nop")]);
    const cases: CaseDef[] = [
      { kind: "raw", workers: 1, name: `${raw.name}, empty task`, items: 1, itemName: "tasks", run: repeatedAsync(() => raw.roundTrip(), ctx.repeat) },
      { kind: "latency", variant: "ping", workers: 1, name: "pool.ping()", items: 1, itemName: "tasks", run: repeatedAsync(() => ctx.pool.ping(), ctx.repeat) },
      { kind: "latency", variant: "apply-nop", workers: 1, name: "pool.apply(\"nop\")", items: 1, itemName: "tasks", run: repeatedAsync(() => ctx.pool.apply("nop"), ctx.repeat) },
    ];
    return { cases, checked: null, teardown: () => raw.close() };
  },
};
