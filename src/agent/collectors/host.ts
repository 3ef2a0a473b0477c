import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { NodeSnapshot } from "../../shared/views.js";
import {
  CallStats,
  type Collector,
  type CollectorOutput,
  type Sample,
} from "../collector.js";
import type { CpuSampler } from "../cpu-sampler.js";

type HostView = NonNullable<NodeSnapshot["host"]>;

/** hwmon chip names that measure the CPU. */
const CPU_HWMON_NAMES = new Set([
  "coretemp",
  "k10temp",
  "zenpower",
  "cpu_thermal",
]);

/** Parses /proc/meminfo into bytes per key (values there are in kB). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(\w+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * (line.includes("kB") ? 1024 : 1);
  }
  return out;
}

/**
 * CPU utilization (from the shared sampler), load, memory, CPU temperature
 * and uptime, read from procPath and sysPath.
 */
// KNOWN: the clock's offset is not reported; there is no cheap source
// without chrony's or systemd-timesyncd's own interfaces; reading
// `chronyc -c tracking` (timed out, like every external call) would fix it.
export class HostCollector implements Collector {
  readonly name = "host";
  readonly calls = new CallStats();

  constructor(
    readonly intervalSeconds: number,
    private readonly sampler: CpuSampler,
    private readonly procPath: string,
    private readonly sysPath: string,
  ) {}

  async collect(): Promise<CollectorOutput> {
    await this.sampler.sample();
    const proc = (f: string) => readFile(path.join(this.procPath, f), "utf8");
    const [mem, load, uptime] = await Promise.all([
      proc("meminfo").then(parseMeminfo),
      proc("loadavg").then((t) =>
        t.trim().split(/\s+/).slice(0, 3).map(Number),
      ),
      proc("uptime").then((t) => Number(t.trim().split(/\s+/)[0])),
    ]);
    const view: HostView = {
      cpuUtilizationRatio: this.sampler.current(),
      cpuCount: this.sampler.cpuCount(),
      load1: load[0],
      load5: load[1],
      load15: load[2],
      memoryAvailableBytes: mem.MemAvailable,
      memoryTotalBytes: mem.MemTotal,
      cpuTemperatureCelsius: await this.cpuTemperature(),
      uptimeSeconds: uptime,
    };
    return { samples: hostSamples(view), patch: { host: view } };
  }

  private async cpuTemperature(): Promise<number | undefined> {
    const base = path.join(this.sysPath, "class", "hwmon");
    const chips = await readdir(base).catch(() => [] as string[]);
    let hottest: number | undefined;
    for (const chip of chips) {
      const dir = path.join(base, chip);
      const name = await readFile(path.join(dir, "name"), "utf8").catch(
        () => "",
      );
      if (!CPU_HWMON_NAMES.has(name.trim())) continue;
      const files = await readdir(dir).catch(() => [] as string[]);
      for (const f of files.filter((f) => /^temp\d+_input$/.test(f))) {
        const milli = Number(await readFile(path.join(dir, f), "utf8"));
        if (Number.isFinite(milli)) {
          hottest = Math.max(hottest ?? -Infinity, milli / 1000);
        }
      }
    }
    return hottest;
  }
}

function hostSamples(v: HostView): Sample[] {
  const pairs: [string, number | undefined][] = [
    ["farmwatch_node_cpu_utilization_ratio", v.cpuUtilizationRatio],
    ["farmwatch_node_cpus", v.cpuCount],
    ["farmwatch_node_load1", v.load1],
    ["farmwatch_node_load5", v.load5],
    ["farmwatch_node_load15", v.load15],
    ["farmwatch_node_memory_available_bytes", v.memoryAvailableBytes],
    ["farmwatch_node_memory_total_bytes", v.memoryTotalBytes],
    ["farmwatch_node_cpu_temperature_celsius", v.cpuTemperatureCelsius],
    ["farmwatch_node_uptime_seconds", v.uptimeSeconds],
  ];
  return pairs
    .filter((p): p is [string, number] => Number.isFinite(p[1]))
    .map(([name, value]) => ({ name, value }));
}
