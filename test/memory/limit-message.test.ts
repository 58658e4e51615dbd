import { describe, expect, it } from "vitest";
import { MemoryLimitError, createPool } from "../../dist/index.js";

describe("MemoryLimitError", () => {
  it("names the limit the user set, and separately what is reserved and in use", async () => {
    const pool = await createPool({ workers: 1, maxMemory: 1 << 28 });
    try {
      let error: unknown;
      try {
        pool.alloc(Float64Array, 1 << 26); // 512 MiB
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MemoryLimitError);
      const e = error as MemoryLimitError;
      expect(e.limitBytes).toBe(268_435_456);
      expect(e.reservedBytes).toBe(65_536);
      expect(e.inUseBytes).toBeGreaterThanOrEqual(0);
      expect(e.message).toContain("the limit (maxMemory) is 256 MiB (268435456 bytes), of which 64 KiB is reserved by wasm-mp");
      const free = 268_435_456 - 65_536 - e.inUseBytes;
      expect(e.message).toContain(`leaving ${(free / 2 ** 20).toFixed(1)} MiB`);
      expect(e.message).toMatch(/needs 512\.0 MiB \(536870\d{3} bytes\)/);
    } finally {
      await pool.close();
    }
  });
});
