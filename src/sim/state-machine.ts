import type { JobStatus, TaskStatus } from "../shared/flamenco/types.js";
import { MANAGER_RULES, type Farm } from "./farm.js";
import type { SimJob, SimTask, SimWorker } from "./model.js";

// The job and task status rules of Flamenco's task state machine
// (internal/manager/task_state_machine): a task change may move its job,
// a job change may move its tasks, and a job change may lead to another.

/** Sets one task's status and lets its job follow, as the Manager does. */
export function taskStatusChange(
  farm: Farm,
  task: SimTask,
  status: TaskStatus,
): void {
  const old = task.status;
  setTaskStatusOnly(task, status);
  farm.touchTask(task, old);
  updateJobAfterTaskChange(farm, task);
}

/** Status plus the step counter rules; no job follow-up, no event. */
function setTaskStatusOnly(task: SimTask, status: TaskStatus): void {
  if (task.status === status) return;
  task.status = status;
  // Completing means completing; queueing means starting over.
  if (status === "completed") task.stepsCompleted = task.stepsTotal;
  if (status === "queued") task.stepsCompleted = 0;
}

function updateJobAfterTaskChange(farm: Farm, task: SimTask): void {
  const job = task.job;
  switch (task.status) {
    case "queued":
      if (job.status === "completed") {
        jobStatusChange(farm, job, "requeueing", "task was queued");
      }
      return;
    case "paused":
      if (isPausingComplete(farm, job)) {
        jobStatusChange(farm, job, "paused", "last task got paused");
      }
      return;
    case "canceled":
      return afterTaskCanceled(farm, job);
    case "failed":
      return afterTaskFailed(farm, job);
    case "active":
    case "soft-failed":
      if (job.status !== "active" && job.status !== "cancel-requested") {
        jobStatusChange(farm, job, "active", `task became ${task.status}`);
      }
      return;
    case "completed":
      return afterTaskCompleted(farm, job);
  }
}

function isPausingComplete(farm: Farm, job: SimJob): boolean {
  return (
    job.status === "pause-requested" && farm.countTasks(job, "active") === 0
  );
}

function afterTaskCanceled(farm: Farm, job: SimJob): void {
  if (farm.countTasks(job, "active", "queued", "soft-failed") === 0) {
    const why = "canceled task was last runnable task of job, canceling job";
    jobStatusChange(farm, job, "canceled", why);
  } else if (isPausingComplete(farm, job)) {
    const why = "no more active tasks after task cancellation";
    jobStatusChange(farm, job, "paused", why);
  }
}

function afterTaskFailed(farm: Farm, job: SimJob): void {
  const failed = farm.countTasks(job, "failed");
  const total = job.tasks.length;
  if (total === 0) return;
  const percentage = Math.floor((failed / total) * 100);
  if (percentage >= MANAGER_RULES.jobFailTaskPercentage) {
    jobStatusChange(farm, job, "failed", "too many tasks failed");
  } else if (isPausingComplete(farm, job)) {
    const why = "no more active tasks after task failure";
    jobStatusChange(farm, job, "paused", why);
  } else if (job.status === "queued") {
    const why = "task failed, but not enough to fail the job";
    jobStatusChange(farm, job, "active", why);
  }
}

function afterTaskCompleted(farm: Farm, job: SimJob): void {
  if (farm.countTasks(job, "completed") === job.tasks.length) {
    jobStatusChange(farm, job, "completed", "all tasks completed");
  } else if (isPausingComplete(farm, job)) {
    const why = "no more active tasks after task completion";
    jobStatusChange(farm, job, "paused", why);
  } else if (job.status === "queued") {
    jobStatusChange(farm, job, "active", "no more tasks to do");
  }
}

/**
 * Moves a job to `status`, then through whatever status that leads to
 * (cancel-requested -> canceled, requeueing -> queued, ...). Any status
 * is accepted, as by the real Manager.
 */
export function jobStatusChange(
  farm: Farm,
  job: SimJob,
  status: JobStatus,
  reason: string,
): void {
  let next: JobStatus | undefined = status;
  while (next !== undefined && next !== job.status) {
    job.activity = `Changed to status "${next}": ${reason}`;
    const previous = job.status;
    job.status = next;
    const after = updateTasksAfterJobChange(farm, job, previous);
    farm.touchJob(job, { previous, refreshTasks: after.mass });
    next = after.next;
  }
}

/** Mass-updates tasks in `from` to `to`, one job event covers them. */
function massUpdate(
  farm: Farm,
  job: SimJob,
  from: TaskStatus[] | "all",
  to: TaskStatus,
  activity: string,
): void {
  for (const task of job.tasks) {
    if (from !== "all" && !from.includes(task.status)) continue;
    setTaskStatusOnly(task, to);
    task.activity = activity;
    farm.touchTask(task, undefined, false);
  }
}

function updateTasksAfterJobChange(
  farm: Farm,
  job: SimJob,
  previous: JobStatus,
): { next?: JobStatus; mass: boolean } {
  const because = `because the job got status "${job.status}".`;
  switch (job.status) {
    case "cancel-requested":
    case "failed":
      massUpdate(
        farm,
        job,
        ["active", "queued", "soft-failed"],
        "canceled",
        `Manager cancelled this task ${because}`,
      );
      return {
        next: job.status === "cancel-requested" ? "canceled" : undefined,
        mass: true,
      };
    case "pause-requested":
      massUpdate(
        farm,
        job,
        ["queued", "soft-failed"],
        "paused",
        `Manager paused this task ${because}`,
      );
      return {
        next: isPausingComplete(farm, job) ? "paused" : "pause-requested",
        mass: true,
      };
    case "requeueing":
      return { next: requeueTasks(farm, job, previous), mass: true };
    case "queued": {
      const done = farm.countTasks(job, "completed") === job.tasks.length;
      return { next: done ? "completed" : undefined, mass: true };
    }
    default:
      return { mass: false };
  }
}

function requeueTasks(
  farm: Farm,
  job: SimJob,
  previous: JobStatus,
): JobStatus | undefined {
  if (previous === "under-construction") return undefined;
  const activity =
    `Queued because job transitioned status from "${previous}" ` +
    `to "${job.status}"`;
  const from: TaskStatus[] | "all" =
    previous === "completed"
      ? "all"
      : ["canceled", "failed", "paused", "soft-failed"];
  massUpdate(farm, job, from, "queued", activity);
  return "queued";
}

/**
 * Gives a worker's active task back: queued, or paused when its job is
 * pausing (the Manager's `returnTaskOfWorker`).
 */
export function returnTaskOfWorker(
  farm: Farm,
  task: SimTask,
  worker: SimWorker,
  reason: string,
): void {
  // Before 3.7 the Manager always queued it, leaving a pausing job stuck
  // in pause-requested (fixed upstream in commit ff29d2ef).
  const pausing =
    farm.managerAtLeast(3, 7) &&
    (task.job.status === "pause-requested" || task.job.status === "paused");
  task.activity = `Task was requeued by Manager because ${reason}.`;
  if (worker.taskId === task.id) worker.taskId = undefined;
  taskStatusChange(farm, task, pausing ? "paused" : "queued");
}

/** Requeues the active tasks of a worker (timeout, sign-off, deletion). */
export function requeueActiveTasksOfWorker(
  farm: Farm,
  worker: SimWorker,
  reason: string,
): void {
  const task = worker.taskId ? farm.tasks.get(worker.taskId) : undefined;
  worker.taskId = undefined;
  if (task && task.status === "active" && task.workerId === worker.id) {
    returnTaskOfWorker(farm, task, worker, reason);
  }
}
