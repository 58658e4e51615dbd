/**
 * The import rules of src/ (docs/pool.md, "Layers"): a module imports only from its own layer
 * or below, and nothing imports in a circle — type-only imports included. Checked in `npm test`
 * (test/architecture.test.ts).
 *
 *   5  entries     cli/, bench/, index.ts, browser.ts, browser-embedded.ts, browser-api.ts, grid.ts, sync-entry.ts, lazy-workloads.ts
 *   4  workloads   workloads/, cluster/
 *   3  pool        pool/
 *   2  platform    platform/
 *   1  foundations memory/, sync/, plan/, kernels/, embedded/
 *   0  leaves      errors.ts, validate.ts
 */
const layers = [
  { name: "leaves", path: "^src/(errors|validate)\\.ts$" },
  { name: "foundations", path: "^src/(memory|sync|plan|kernels|embedded)/" },
  { name: "platform", path: "^src/platform/" },
  { name: "pool", path: "^src/pool/" },
  { name: "workloads", path: "^src/(workloads|cluster)/" },
  { name: "entries", path: "^src/(cli|bench)/|^src/(index|browser|browser-embedded|browser-api|grid|sync-entry|lazy-workloads)\\.ts$" },
];

const upward = layers.slice(0, -1).map((layer, i) => ({
  name: `${layer.name}-imports-no-higher-layer`,
  comment: `${layer.name} (layer ${i}) may import only from its own layer or below`,
  severity: "error",
  from: { path: layer.path },
  to: { path: layers.slice(i + 1).map((l) => l.path).join("|") },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import cycles, type-only imports included",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "every-module-in-a-layer",
      comment: "each file of src/ belongs to one of the layers above",
      severity: "error",
      from: { path: "^src/", pathNot: layers.map((l) => l.path).join("|") },
      to: {},
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["es6"],
  },
};
