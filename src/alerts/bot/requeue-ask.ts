import { InlineKeyboard } from "grammy";
import { CALLBACK, confirmKeyboard } from "./buttons.js";
import type { BotEnv, Reply } from "./env.js";
import { cutText, esc } from "./html.js";
import { findJobs, matchByName } from "./lookup.js";
import {
  describeManagerError,
  type ManagerJob,
  type ManagerOps,
  type ManagerTask,
} from "./manager.js";
import {
  planFailedTasks,
  planJob,
  planTask,
  type PlanResult,
} from "./requeue-plan.js";

/** What to requeue: the job, its failed tasks, or one task by name/id. */
export type RequeueTarget =
  { kind: "job" } | { kind: "failed-tasks" } | { kind: "task"; task: string };

const MAX_CHOICES = 8;

/** Plans a requeue of `target` in the job `jobId` from the Manager's state. */
export async function planFromManager(
  manager: ManagerOps,
  jobId: string,
  target: RequeueTarget,
): Promise<PlanResult> {
  const [job, tasks] = await Promise.all([
    manager.getJob(jobId),
    manager.getJobTasks(jobId),
  ]);
  const result = planTarget(job, tasks, target);
  return "refusal" in result ? { ...result, jobStatus: job.status } : result;
}

function planTarget(
  job: ManagerJob,
  tasks: ManagerTask[],
  target: RequeueTarget,
): PlanResult {
  if (target.kind === "job") return planJob(job, tasks);
  if (target.kind === "failed-tasks") return planFailedTasks(job, tasks);
  const found = matchByName(tasks, target.task);
  if (found.length !== 1) {
    return {
      refusal:
        found.length === 0
          ? `Job <b>${esc(job.name)}</b> has no task ${esc(target.task)}.`
          : `${found.length} tasks match ${esc(target.task)}; be more exact.`,
    };
  }
  return planTask(job, found[0]!, tasks.length);
}

function choose(query: string, jobs: { id: string; name: string }[]): Reply {
  const keyboard = new InlineKeyboard();
  for (const job of jobs.slice(0, MAX_CHOICES)) {
    keyboard.text(cutText(job.name, 60), CALLBACK.requeueJob + job.id).row();
  }
  return {
    text: `${jobs.length} jobs match <b>${esc(query)}</b>. Which one?`,
    keyboard,
  };
}

/**
 * The confirmation for a requeue: what will happen, a warning where one
 * applies, and Confirm / Cancel buttons; or why it cannot be done.
 * `jobQuery` is a name or id prefix, or with `exactId` a job id.
 */
export async function askRequeue(
  env: BotEnv,
  who: { userId: number; chatId: number },
  jobQuery: string,
  target: RequeueTarget,
  exactId = false,
): Promise<Reply> {
  const manager = env.manager;
  if (manager === undefined) {
    return { text: "No Flamenco Manager is configured." };
  }
  try {
    const jobs = exactId
      ? [{ id: jobQuery, name: jobQuery }]
      : await findJobs(env, jobQuery);
    if (jobs.length === 0) {
      return { text: `No job matches <b>${esc(jobQuery)}</b>.` };
    }
    if (jobs.length > 1 && target.kind === "job") return choose(jobQuery, jobs);
    if (jobs.length > 1) {
      return { text: `${jobs.length} jobs match; give more of the name.` };
    }
    const result = await planFromManager(manager, jobs[0]!.id, target);
    if ("refusal" in result) return { text: result.refusal };
    const token = env.pending.add(result.plan, who.userId, who.chatId);
    const lines = [result.plan.summary];
    if (result.plan.warning !== undefined) lines.push(result.plan.warning);
    lines.push("Confirm?");
    return { text: lines.join("\n"), keyboard: confirmKeyboard(token) };
  } catch (err) {
    const why = describeManagerError(err, manager.timeoutMs);
    return { text: `Cannot plan the requeue: ${esc(why)}. Nothing changed.` };
  }
}
