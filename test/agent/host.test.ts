import path from "node:path";
import { describe, expect, it } from "vitest";
import { HostCollector } from "../../src/agent/collectors/host.js";
import { CpuSampler } from "../../src/agent/cpu-sampler.js";
import { FIXTURES } from "./helpers.js";

const PROC = path.join(FIXTURES, "proc");
const SYS = path.join(FIXTURES, "sys");

describe("HostCollector", () => {
  it("reads memory, load, uptime, CPUs and the hottest CPU sensor", async () => {
    const c = new HostCollector(15, new CpuSampler(PROC), PROC, SYS);
    const out = await c.collect();
    expect(out.patch.host).toEqual({
      cpuUtilizationRatio: undefined,
      cpuCount: 8,
      load1: 7.52,
      load5: 6.1,
      load15: 4.02,
      memoryAvailableBytes: 20480000 * 1024,
      memoryTotalBytes: 32780000 * 1024,
      cpuTemperatureCelsius: 61,
      uptimeSeconds: 86400.25,
    });
  });

  it("has no utilization series while the sampler warms up", async () => {
    const c = new HostCollector(15, new CpuSampler(PROC), PROC, SYS);
    const out = await c.collect();
    const names = out.samples.map((s) => s.name);
    expect(names).not.toContain("farmwatch_node_cpu_utilization_ratio");
    expect(names).toContain("farmwatch_node_memory_available_bytes");
  });
});
