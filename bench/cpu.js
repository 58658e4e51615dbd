// The CPU every bench figure is written beside. A virtual machine's lscpu often says only
// "AMD EPYC" for different generations (Zen 3 without AVX-512, Zen 4 with it), whose figures
// differ a lot (the C π loop's divider: 3.2 s on one, 1.2 s on the other), so the family, model
// and widest vector extension from /proc/cpuinfo are added where Linux has them.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

export function cpuModel() {
  let name = cpus()[0]?.model?.trim() || "unknown CPU";
  try {
    const m = execFileSync("lscpu", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).match(/Model name:\s*(.+)/);
    if (m) name = m[1].trim();
  } catch { /* no lscpu */ }
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const field = (key) => info.match(new RegExp(`^${key}\\s*:\\s*(.+)$`, "m"))?.[1].trim();
    const flags = ` ${field("flags") ?? ""} `;
    const vector = flags.includes(" avx512f ") ? "AVX-512" : flags.includes(" avx2 ") ? "AVX2" : flags.includes(" neon ") || flags.includes(" asimd ") ? "NEON" : null;
    const family = field("cpu family"), model = field("model");
    const details = [family !== undefined && model !== undefined ? `family ${family} model ${model}` : null, vector].filter(Boolean);
    if (details.length) name += ` (${details.join(", ")})`;
  } catch { /* not Linux */ }
  return name;
}
