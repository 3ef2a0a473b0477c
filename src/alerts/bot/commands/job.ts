import { InlineKeyboard } from "grammy";
import type { FarmJobView, FarmView } from "../../../shared/views.js";
import { CALLBACK } from "../buttons.js";
import type { CommandSpec, Reply } from "../env.js";
import { formatSeconds, percent } from "../format.js";
import { esc, fitLines } from "../html.js";
import { matchByName } from "../lookup.js";
import { JOB_REQUEUE_FROM } from "../requeue-plan.js";
import { jobIcon } from "./status.js";

const MAX_FAILED_LINES = 10;

function buttons(job: FarmJobView, failedCount: number) {
  const keyboard = new InlineKeyboard();
  if (JOB_REQUEUE_FROM.includes(job.status)) {
    keyboard.text("🔁 Requeue job", CALLBACK.requeueJob + job.id);
  }
  if (failedCount > 0 && ["active", "queued"].includes(job.status)) {
    keyboard.text("🔁 Requeue failed", CALLBACK.requeueFailed + job.id);
  }
  return keyboard.inline_keyboard.flat().length > 0 ? keyboard : undefined;
}

/** The detail screen of one job. */
export function jobReply(farm: FarmView, job: FarmJobView): Reply {
  const counts = Object.entries(job.tasksByStatus)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${esc(s)}`)
    .join(", ");
  const lines = [
    `${jobIcon(job.status)} <b>${esc(job.name)}</b> · ${esc(job.status)}`,
    `<code>${esc(job.id)}</code> · ${esc(job.type)} · priority ${job.priority}`,
    `Progress ${percent(job.progressRatio)}` +
      (job.framesTotal !== undefined
        ? ` · ${job.framesDone ?? 0}/${job.framesTotal} frames`
        : "") +
      (job.etaSeconds !== undefined
        ? ` · ETA ${formatSeconds(job.etaSeconds)}`
        : ""),
    `Tasks: ${counts || "none"}`,
  ];
  const workers = farm.workers
    .filter((w) => w.currentTask?.jobId === job.id)
    .map((w) => esc(w.name));
  if (workers.length > 0) lines.push(`Workers on it: ${workers.join(", ")}`);
  const failed = farm.failedTasks.filter((t) => t.jobId === job.id);
  for (const t of failed.slice(0, MAX_FAILED_LINES)) {
    const frames = t.frames !== undefined ? ` frames ${esc(t.frames)}` : "";
    const worker = t.worker !== undefined ? ` on ${esc(t.worker)}` : "";
    lines.push(`🔴 ${esc(t.taskName)}${frames}${worker} (${esc(t.status)})`);
  }
  if (failed.length > MAX_FAILED_LINES) {
    lines.push(`… and ${failed.length - MAX_FAILED_LINES} more failed`);
  }
  const keyboard = buttons(
    job,
    failed.filter((t) => t.status === "failed").length,
  );
  return { text: fitLines(lines), ...(keyboard ? { keyboard } : {}) };
}

/** `/job <name or id prefix>`: one job's progress, failures and buttons. */
export const jobCommand: CommandSpec = {
  command: "job",
  description: "One job: /job <name or id prefix>",
  admin: false,
  async run(env, req) {
    const farm = env.deps.farm();
    if (farm === undefined) return { text: "No farm data yet." };
    if (req.args === "") return { text: "Usage: /job &lt;name or id&gt;" };
    const found = matchByName(farm.jobs, req.args);
    if (found.length === 0) {
      return { text: `No job matches <b>${esc(req.args)}</b>.` };
    }
    if (found.length > 1) {
      const names = found
        .slice(0, 10)
        .map((j) => `<code>${esc(j.id.slice(0, 8))}</code> ${esc(j.name)}`);
      return {
        text: fitLines([`${found.length} jobs match:`, ...names]),
      };
    }
    return jobReply(farm, found[0]!);
  },
};
