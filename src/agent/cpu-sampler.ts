import { readFile } from "node:fs/promises";
import path from "node:path";

/** Tick counters of the aggregate `cpu` line of /proc/stat. */
export interface CpuTicks {
  busy: number;
  total: number;
}

/**
 * Parses the first `cpu` line of /proc/stat. Idle is idle + iowait; guest
 * time is already inside user and nice, so it is not added again.
 */
export function parseProcStatCpu(text: string): CpuTicks {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new Error("no aggregate cpu line in /proc/stat");
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 4 || f.some((n) => !Number.isFinite(n))) {
    throw new Error(`unreadable cpu line in /proc/stat: ${line}`);
  }
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/** Number of `cpuN` lines in /proc/stat. */
export function countCpus(text: string): number {
  return text.split("\n").filter((l) => /^cpu\d+\s/.test(l)).length;
}

/**
 * The one CPU sampler of the agent. Only {@link sample} opens a new
 * window; {@link current} reads the last finished one, so a reader (a bot
 * command, the JSON view) never shortens the next window. The first
 * sample is a baseline: until a second one, there is no current value
 * (the since-boot average is not "current").
 */
export class CpuSampler {
  private previous: CpuTicks | undefined;
  private utilization: number | undefined;
  private cpus = 0;

  constructor(private readonly procPath: string) {}

  /** Reads /proc/stat and closes the window since the last sample. */
  async sample(): Promise<void> {
    const text = await readFile(path.join(this.procPath, "stat"), "utf8");
    const ticks = parseProcStatCpu(text);
    this.cpus = countCpus(text);
    if (this.previous) {
      const dTotal = ticks.total - this.previous.total;
      const dBusy = ticks.busy - this.previous.busy;
      if (dTotal > 0) this.utilization = clamp(dBusy / dTotal);
    }
    this.previous = ticks;
  }

  /** Busy share 0..1 over the last window; undefined while warming up. */
  current(): number | undefined {
    return this.utilization;
  }

  /** CPUs counted at the last sample; 0 before the first. */
  cpuCount(): number {
    return this.cpus;
  }
}

function clamp(ratio: number): number {
  return Math.min(1, Math.max(0, ratio));
}
