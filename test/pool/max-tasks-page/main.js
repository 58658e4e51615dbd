// A page for test/pool/max-tasks-browser.test.ts: Web Workers retired by maxTasksPerWorker are
// replaced, and no result changes.
import { createPool, pi } from "wasm-mp";

const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

window.recycledCalls = async () => {
  const plain = await createPool({ workers: 2 });
  const recycled = await createPool({ workers: 2, maxTasksPerWorker: 3 });
  try {
    const applies = [];
    for (let i = 0; i < 12; i++) applies.push(await recycled.apply("piMidpointScalar", [i, i + 1, 12]));
    const afterApplies = recycled.stats();
    const items = Array.from({ length: 20000 }, (_, i) => [i + 1, i + 2, 20000]);
    const expected = await plain.map("piMidpointScalar", items, { chunkSize: 100 });
    const got = await recycled.map("piMidpointScalar", items, { chunkSize: 100 });
    const expectedApplies = [];
    for (let i = 0; i < 12; i++) expectedApplies.push(await plain.apply("piMidpointScalar", [i, i + 1, 12]));
    const stats = recycled.stats();
    return {
      shares: recycled.workersShareMemory,
      sameApplies: same(applies, expectedApplies),
      appliesRun: afterApplies.tasksRun,
      mostPerWorker: Math.max(...afterApplies.perWorker.map((w) => w.tasksRun)),
      startedAfterApplies: afterApplies.workersStarted,
      sameMap: same(got, expected),
      startedAfterMap: stats.workersStarted,
    };
  } finally {
    await Promise.all([plain.close(), recycled.close()]);
  }
};

window.recycledPi = async () => {
  const plain = await createPool({ workers: 2 });
  const recycled = await createPool({ workers: 2, maxTasksPerWorker: 1 });
  try {
    const a = await pi({ n: 1e7, pool: plain, chunkSize: 1 << 16 });
    const b = await pi({ n: 1e7, pool: recycled, chunkSize: 1 << 16 });
    return { same: Object.is(a.value, b.value), shares: recycled.workersShareMemory, backend: b.backend, replaced: recycled.stats().workersReplaced };
  } finally {
    await Promise.all([plain.close(), recycled.close()]);
  }
};
