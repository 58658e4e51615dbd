/**
 * Kernels built for the tests only: assembly/sync-demos.ts (with the bundled kernels), built by
 * `npm run asbuild:fixtures` (part of `npm test`) into build/test-fixtures/sync-demos.wasm.
 */
import { fileURLToPath } from "node:url";

export const SYNC_DEMOS = fileURLToPath(new URL("../../build/test-fixtures/sync-demos.wasm", import.meta.url));
