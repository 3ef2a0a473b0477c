import { InlineKeyboard } from "grammy";
import type { FarmView } from "../../../shared/views.js";
import { CALLBACK } from "../buttons.js";
import type { BotEnv, CommandSpec, Reply } from "../env.js";
import { cutText, esc } from "../html.js";
import { findJobs } from "../lookup.js";
import { askRequeue } from "../requeue-ask.js";

const MAX_CANDIDATES = 8;

/** Jobs worth requeueing, each with a button to the confirmation. */
function candidates(farm: FarmView | undefined): Reply {
  const keyboard = new InlineKeyboard();
  const lines: string[] = [];
  for (const job of farm?.jobs ?? []) {
    if (lines.length >= MAX_CANDIDATES) break;
    const failed = job.tasksByStatus.failed ?? 0;
    const label = cutText(job.name, 48);
    if (["failed", "canceled", "paused"].includes(job.status)) {
      lines.push(`• ${esc(job.name)}: ${esc(job.status)}`);
      keyboard.text(`🔁 ${label}`, CALLBACK.requeueJob + job.id).row();
    } else if (failed > 0 && ["active", "queued"].includes(job.status)) {
      lines.push(`• ${esc(job.name)}: ${failed} failed task(s)`);
      keyboard.text(`🔁 ${label} (failed)`, CALLBACK.requeueFailed + job.id);
      keyboard.row();
    }
  }
  const usage =
    "/requeue &lt;job&gt; · /requeue &lt;job&gt; failed · " +
    "/requeue &lt;job&gt; &lt;task&gt;";
  if (lines.length === 0) return { text: `Nothing to requeue.\n${usage}` };
  return {
    text: ["Requeue which?", ...lines, usage].join("\n"),
    keyboard,
  };
}

async function route(env: BotEnv, args: string) {
  const failed = /^(.+?)\s+failed$/i.exec(args);
  if (failed !== null) {
    return { job: failed[1]!, target: { kind: "failed-tasks" as const } };
  }
  const split = /^(.+)\s+(\S+)$/.exec(args);
  if (split === null || (await findJobs(env, args)).length > 0) {
    return { job: args, target: { kind: "job" as const } };
  }
  return { job: split[1]!, target: { kind: "task" as const, task: split[2]! } };
}

/** `/requeue [job [failed | task]]`: always asks before it acts. */
export const requeueCommand: CommandSpec = {
  command: "requeue",
  description: "Requeue a job, its failed tasks, or a task (asks first)",
  admin: true,
  async run(env, req) {
    const args = req.args.trim();
    if (args === "") return candidates(env.deps.farm());
    const { job, target } = await route(env, args);
    return askRequeue(env, req, job, target);
  },
};
