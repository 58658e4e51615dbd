// The workloads the page offers. Adding one is an entry here:
//   id        short name (element ids: run-<id>, result-<id>, param-<id>-<name>)
//   label     the button's text
//   params    inputs, passed to run() as numbers (1e9 and 1_000_000 are accepted)
//   run       (mp, pool, params, onProgress) => the workload's result (mp is the "wasm-mp" module)
//   numbers   result => the numbers checked bit for bit against Node (test/browser/e2e.test.ts)
//   describe  result => the line shown
//   draw      optional (canvas, result) => void, for a result that is a picture (the heat plate)
export const workloads = [
  {
    id: "pi",
    label: "π (midpoint rule)",
    params: [{ name: "n", label: "terms n", value: "1e9" }],
    run: (mp, pool, { n }, onProgress) => mp.pi({ n, pool, onProgress }),
    numbers: (r) => [r.value],
    describe: (r) => `π ≈ ${r.value.toFixed(15)}   error ${r.error.toExponential(2)}`,
  },
];
