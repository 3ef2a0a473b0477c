import type { FarmView } from "../../../shared/views.js";
import type { CommandSpec } from "../env.js";
import { formatSeconds, percent } from "../format.js";
import { esc, fitLines } from "../html.js";

/** Worker statuses that need the owner's attention; names are listed. */
export const TROUBLE_WORKER_STATUSES = ["error", "offline", "starting"];

const JOB_ICON: Record<string, string> = {
  active: "▶️",
  queued: "⏳",
  failed: "❌",
  completed: "✅",
  canceled: "⏹",
  paused: "⏸",
};

/** `▶️` and friends for a job status; `•` for the rest. */
export function jobIcon(status: string): string {
  return JOB_ICON[status] ?? "•";
}

function managerLine(farm: FarmView): string {
  const version = farm.manager ? ` ${esc(farm.manager.version)}` : "";
  if (farm.up) {
    return `<b>Manager</b>${version} up · farm ${esc(farm.farmStatus ?? "?")}`;
  }
  const age =
    farm.ageSeconds !== undefined
      ? `, data ${formatSeconds(farm.ageSeconds)} old`
      : "";
  const why = farm.lastError ? `: ${esc(farm.lastError.message)}` : "";
  return `⚠️ <b>Manager unreachable</b>${version}${why}${age}`;
}

function workersLine(farm: FarmView): string {
  const byStatus = new Map<string, string[]>();
  for (const w of farm.workers) {
    byStatus.set(w.status, [...(byStatus.get(w.status) ?? []), w.name]);
  }
  const parts = [...byStatus.entries()].map(([status, names]) => {
    const trouble = TROUBLE_WORKER_STATUSES.includes(status);
    const list = trouble ? ` (${names.map(esc).join(", ")})` : "";
    return `${names.length} ${esc(status)}${list}`;
  });
  return `<b>Workers</b>: ${parts.join(", ") || "none"}`;
}

/** One line per unfinished job: progress, frames, ETA. */
export function jobLines(farm: FarmView): string[] {
  return farm.jobs
    .filter((j) => j.unfinished)
    .map((j) => {
      const frames =
        j.framesTotal !== undefined
          ? ` ${j.framesDone ?? 0}/${j.framesTotal} frames`
          : "";
      const eta =
        j.etaSeconds !== undefined
          ? `, ETA ${formatSeconds(j.etaSeconds)}`
          : "";
      return (
        `${jobIcon(j.status)} ${esc(j.name)}: ${esc(j.status)} ` +
        `${percent(j.progressRatio)}${frames}${eta}`
      );
    });
}

/** `/status`: the farm on one screen. */
export const statusCommand: CommandSpec = {
  command: "status",
  description: "Farm state on one screen",
  admin: false,
  async run(env) {
    const farm = env.deps.farm();
    if (farm === undefined) {
      return { text: "No farm data yet: the exporter has not answered." };
    }
    const lines = [managerLine(farm), workersLine(farm)];
    const jobs = jobLines(farm);
    lines.push(jobs.length > 0 ? "<b>Jobs</b>:" : "<b>Jobs</b>: none active");
    lines.push(...jobs.slice(0, 10));
    if (jobs.length > 10) lines.push(`… and ${jobs.length - 10} more: /jobs`);
    const failed = farm.failedTasks.filter((t) => t.status === "failed");
    if (failed.length > 0) {
      const jobsHit = new Set(failed.map((t) => t.jobName));
      lines.push(
        `❌ ${failed.length} failed task(s) in ` +
          `${[...jobsHit].slice(0, 3).map(esc).join(", ")}`,
      );
    }
    const stalled = farm.problems.stalledTasks.length;
    if (stalled > 0) lines.push(`🐢 ${stalled} task(s) without progress`);
    const alerts = env.deps.alerts.active();
    const firing = alerts.filter((a) => a.state === "firing" && !a.silenced);
    const critical = firing.filter((a) => a.severity === "critical").length;
    lines.push(
      firing.length === 0
        ? "🔔 No alerts firing"
        : `🔔 ${firing.length} alert(s) firing (${critical} critical): /alerts`,
    );
    return { text: fitLines(lines) };
  },
};
