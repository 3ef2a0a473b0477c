import { MANAGER_RULES, type Farm } from "./farm.js";
import type { SimJob, SimTask, SimWorker } from "./model.js";
import {
  jobStatusChange,
  returnTaskOfWorker,
  taskStatusChange,
} from "./state-machine.js";

// What the Manager does when a worker reports a task failed
// (api_impl/worker_task_updates.go, onTaskFailed).

/** Workers that could still run `task`: not blocked, not failed on it. */
export function workersLeftFor(farm: Farm, task: SimTask): SimWorker[] {
  const job = task.job;
  return [...farm.workers.values()].filter(
    (w) =>
      w.supportedTaskTypes.includes(task.taskType) &&
      !isBlocked(job, w.id, task.taskType) &&
      !task.failedBy.includes(w.id),
  );
}

/** Whether `workerId` is on the job's blocklist for `taskType`. */
export function isBlocked(
  job: SimJob,
  workerId: string,
  taskType: string,
): boolean {
  return job.blocklist.some(
    (b) => b.workerId === workerId && b.taskType === taskType,
  );
}

function failuresOfWorker(job: SimJob, w: SimWorker, type: string): number {
  let n = 0;
  for (const t of job.tasks) {
    if (t.taskType === type && t.failedBy.includes(w.id)) n++;
  }
  return n;
}

function failJobCatastrophically(
  farm: Farm,
  worker: SimWorker,
  task: SimTask,
): void {
  task.activity =
    `Task failed by worker ${worker.name} (${worker.id}), Manager will ` +
    `fail the entire job as there are no more workers left for tasks of ` +
    `type "${task.taskType}".`;
  taskStatusChange(farm, task, "failed");
  const why = `no more workers left to run tasks of type "${task.taskType}"`;
  jobStatusChange(farm, task.job, "failed", why);
}

/**
 * Blocklists the worker for the task's type on its job after
 * `blocklistThreshold` failures, requeueing the tasks it failed there.
 * Returns true when that left nobody for the task and the job failed.
 */
function blocklistIfDue(farm: Farm, worker: SimWorker, task: SimTask): boolean {
  const job = task.job;
  const failures = failuresOfWorker(job, worker, task.taskType);
  if (failures < MANAGER_RULES.blocklistThreshold) return false;
  if (!isBlocked(job, worker.id, task.taskType)) {
    job.blocklist.push({ workerId: worker.id, taskType: task.taskType });
  }
  if (workersLeftFor(farm, task).length === 0) {
    failJobCatastrophically(farm, worker, task);
    return true;
  }
  const reason =
    `worker ${worker.name} was blocked from tasks of type ` +
    `"${task.taskType}"`;
  for (const t of job.tasks) {
    if (t.status === "failed" && t.workerId === worker.id && t !== task) {
      returnTaskOfWorker(farm, t, worker, reason);
    }
  }
  return false;
}

/**
 * `worker` reports `task` failed with `logTail`: failure list, blocklist
 * after `blocklistThreshold` failures of a task type on the job, hard
 * failure after `taskFailAfterSoftFailCount` workers, soft failure before.
 */
export function onTaskFailed(
  farm: Farm,
  worker: SimWorker,
  task: SimTask,
  logTail: string,
): void {
  if (worker.taskId === task.id) worker.taskId = undefined;
  worker.lastTaskId = task.id;
  task.workerId = worker.id;
  task.logTail = logTail;
  task.lastTouchedMs = farm.nowMs;
  if (!task.failedBy.includes(worker.id)) task.failedBy.push(worker.id);

  if (blocklistIfDue(farm, worker, task)) return;

  const numFailed = task.failedBy.length;
  const threshold = MANAGER_RULES.taskFailAfterSoftFailCount;
  if (numFailed >= threshold) {
    task.activity =
      `Task failed by ${numFailed} workers, Manager will mark it as ` +
      `hard failure`;
    return taskStatusChange(farm, task, "failed");
  }
  // The Manager gives up on the job when at most one worker is left.
  if (workersLeftFor(farm, task).length <= 1) {
    return failJobCatastrophically(farm, worker, task);
  }
  task.activity =
    `Task failed by worker ${worker.name} (${worker.id}), Manager will ` +
    `mark it as soft failure. ${threshold - numFailed} more failures will ` +
    `cause hard failure.`;
  taskStatusChange(farm, task, "soft-failed");
}
