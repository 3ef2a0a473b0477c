import type { MountView, NodeSnapshot } from "../../../shared/views.js";
import { formatSeconds } from "../format.js";
import { esc } from "../html.js";

const GIB = 1024 ** 3;

/** One mount in one line: state, and free space when known. */
export function mountLine(m: MountView): string {
  const icon = m.state === "ok" ? "🟢" : "🔴";
  const free =
    m.freeBytes !== undefined && m.totalBytes !== undefined && m.totalBytes > 0
      ? ` · ${Math.round(m.freeBytes / GIB)} GiB free`
      : "";
  const reason = m.state !== "ok" && m.reason ? ` (${esc(m.reason)})` : "";
  return `${icon} ${esc(m.mountpoint)} · ${esc(m.state)}${reason}${free}`;
}

/** The agent's view of a node: GPUs, mounts, Tailscale, worker unit. */
export function nodeHealthLines(node: NodeSnapshot, now: Date): string[] {
  const lines: string[] = [];
  const age = (now.getTime() - Date.parse(node.time)) / 1000;
  if (age > 120) lines.push(`⚠️ agent data ${formatSeconds(age)} old`);
  for (const g of node.gpus) {
    const util =
      g.utilizationRatio !== undefined
        ? ` ${Math.round(g.utilizationRatio * 100)}%`
        : "";
    const temp =
      g.temperatureCelsius !== undefined ? ` ${g.temperatureCelsius}°C` : "";
    lines.push(`🎮 ${esc(g.name)}${util}${temp}`);
  }
  const gpu = node.collectors.gpu;
  if (gpu !== undefined && !gpu.ok) {
    lines.push(`🔴 GPU query failing: ${esc(gpu.reason ?? "error")}`);
  }
  lines.push(...node.mounts.map(mountLine));
  if (node.tailscale !== undefined) {
    const ts = node.tailscale;
    lines.push(`${ts.up ? "🟢" : "🔴"} Tailscale ${esc(ts.state)}`);
  }
  if (node.worker !== undefined) {
    const u = node.worker;
    const restarts =
      u.restarts !== undefined && u.restarts > 0
        ? `, ${u.restarts} restarts`
        : "";
    lines.push(`⚙️ ${esc(u.unit)}: ${esc(u.activeState)}${restarts}`);
  }
  return lines;
}
