// Synchronization primitives: the package's sync suite (an uncontended lock + unlock from JS and
// from a kernel, target <= 50 ns; a semaphore; a mutex contended by two kernels; a queue between
// kernels: src/bench/suites, as `wasm-mp bench` runs it), then C's pthread_mutex beside them.
// (The barrier's round trip is measured by the heat suite.) Run: node bench/sync.bench.js
import { runReference } from "./reference.js";
import { shared } from "./suite.js";

await shared("sync");
const c = runReference("mutex", [1e8]);
if (c) console.log(`C pthread_mutex lock+unlock (gcc -O3), uncontended: ${c} ns per pair`);
