/**
 * What a requeue would do, decided from the Manager's current state with
 * Flamenco's own rules (its web UI and task state machine): a job is
 * requeued from `failed`, `canceled`, `paused` or `completed`; a task
 * from `failed`, `canceled` or `completed`. Queueing a task of a
 * completed job requeues the whole job; a queued task of a failed or
 * canceled job does not run until the job is requeued.
 */
import { esc } from "./html.js";
import type { ManagerJob, ManagerTask } from "./manager.js";

/** Job statuses Flamenco requeues a job from. */
export const JOB_REQUEUE_FROM = ["failed", "canceled", "paused", "completed"];
/** Task statuses Flamenco requeues a task from. */
export const TASK_REQUEUE_FROM = ["failed", "canceled", "completed"];
/** Job statuses in which a queued task gets picked up by a worker. */
const JOB_RUNS_TASKS = ["active", "queued"];

/** A requeue shown to the user and carried out on Confirm. */
export interface RequeuePlan {
  /** `job`: the job goes to `requeueing`; otherwise tasks to `queued`. */
  kind: "job" | "failed-tasks" | "task";
  jobId: string;
  jobName: string;
  /** The job's status when planned; a change meanwhile stops the plan. */
  jobStatus: string;
  /** Tasks set to `queued`, with the status each had when planned. */
  tasks: { id: string; name: string; status: string }[];
  /** What will happen, HTML. */
  summary: string;
  /** A consequence the user must know before confirming, HTML. */
  warning?: string;
}

/** A plan, or the reason there is none (HTML) and the job's status. */
export type PlanResult =
  { plan: RequeuePlan } | { refusal: string; jobStatus?: string };

function countBy(tasks: ManagerTask[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) out[t.status] = (out[t.status] ?? 0) + 1;
  return out;
}

function jobIsSettling(job: ManagerJob): string | undefined {
  if (JOB_REQUEUE_FROM.includes(job.status)) return undefined;
  if (["active", "queued", "requeueing"].includes(job.status)) {
    return `Job <b>${esc(job.name)}</b> is already ${esc(job.status)}.`;
  }
  return (
    `Job <b>${esc(job.name)}</b> is ${esc(job.status)}: Flamenco cannot ` +
    `requeue it from there. Try again once it settles.`
  );
}

/** Requeue the whole job (its unfinished tasks, or all when completed). */
export function planJob(job: ManagerJob, tasks: ManagerTask[]): PlanResult {
  const refusal = jobIsSettling(job);
  const counts = countBy(tasks);
  if (refusal !== undefined) {
    const failed = counts.failed ?? 0;
    const hint =
      failed > 0 && JOB_RUNS_TASKS.includes(job.status)
        ? ` For its ${failed} failed task(s): ` +
          `/requeue ${esc(job.id.slice(0, 8))} failed`
        : "";
    return { refusal: refusal + hint };
  }
  const base = { kind: "job" as const, jobId: job.id, jobName: job.name };
  const name = `<b>${esc(job.name)}</b> (${esc(job.status)})`;
  if (job.status === "completed") {
    return {
      plan: {
        ...base,
        jobStatus: job.status,
        tasks: [],
        summary: `Requeue job ${name}: all ${tasks.length} tasks render again.`,
        warning: "⚠️ The job is completed: this re-renders the whole job.",
      },
    };
  }
  const done = counts.completed ?? 0;
  const others = Object.entries(counts)
    .filter(([s]) => s !== "completed")
    .map(([s, n]) => `${n} ${esc(s)}`)
    .join(", ");
  return {
    plan: {
      ...base,
      jobStatus: job.status,
      tasks: [],
      summary:
        `Requeue job ${name}: its unfinished tasks (${others || "none"}) ` +
        `go back to the queue; ${done} completed task(s) are kept.`,
    },
  };
}

/** Requeue the failed tasks of a job. */
export function planFailedTasks(
  job: ManagerJob,
  tasks: ManagerTask[],
): PlanResult {
  const failed = tasks.filter((t) => t.status === "failed");
  if (failed.length === 0) {
    return { refusal: `Job <b>${esc(job.name)}</b> has no failed tasks.` };
  }
  if (["failed", "canceled", "paused"].includes(job.status)) {
    const result = planJob(job, tasks);
    if ("refusal" in result) return result;
    result.plan.summary =
      `The job is ${esc(job.status)}, so its tasks only run again when ` +
      `the job is requeued. ${result.plan.summary}`;
    return result;
  }
  if (!JOB_RUNS_TASKS.includes(job.status)) {
    return { refusal: jobIsSettling(job)! };
  }
  return {
    plan: {
      kind: "failed-tasks",
      jobId: job.id,
      jobName: job.name,
      jobStatus: job.status,
      tasks: failed.map((t) => ({ id: t.id, name: t.name, status: t.status })),
      summary:
        `Requeue the ${failed.length} failed task(s) of job ` +
        `<b>${esc(job.name)}</b> (${esc(job.status)}).`,
    },
  };
}

const TASK_REFUSALS: Record<string, string> = {
  active: "it is rendering now",
  queued: "it is already queued",
  "soft-failed": "Flamenco retries soft-failed tasks by itself",
  paused: "it is paused with its job; requeue the job instead",
};

/** Requeue one task. */
export function planTask(
  job: ManagerJob,
  task: ManagerTask,
  taskCount: number,
): PlanResult {
  const taskName = `<b>${esc(task.name)}</b>`;
  if (!TASK_REQUEUE_FROM.includes(task.status)) {
    const why = TASK_REFUSALS[task.status] ?? `it is ${esc(task.status)}`;
    return { refusal: `Task ${taskName} cannot be requeued: ${why}.` };
  }
  if (["failed", "canceled", "paused"].includes(job.status)) {
    return {
      refusal:
        `Job <b>${esc(job.name)}</b> is ${esc(job.status)}: a queued task ` +
        `of it would not run. Requeue the job: ` +
        `/requeue ${esc(job.id.slice(0, 8))}`,
    };
  }
  if (!JOB_RUNS_TASKS.includes(job.status) && job.status !== "completed") {
    return { refusal: jobIsSettling(job)! };
  }
  const plan: RequeuePlan = {
    kind: "task",
    jobId: job.id,
    jobName: job.name,
    jobStatus: job.status,
    tasks: [{ id: task.id, name: task.name, status: task.status }],
    summary:
      `Requeue task ${taskName} (${esc(task.status)}) of job ` +
      `<b>${esc(job.name)}</b>.`,
  };
  if (job.status === "completed") {
    plan.warning =
      `⚠️ The job is completed: requeueing one of its tasks requeues the ` +
      `whole job, and all ${taskCount} tasks render again.`;
  }
  return { plan };
}
