import { MANAGER_RULES, type Farm } from "./farm.js";
import { isBlocked, onTaskFailed } from "./failures.js";
import { createJob } from "./jobs.js";
import { failureTail, progressTail } from "./logs.js";
import type { SimTask, SimWorker } from "./model.js";
import { jobEvent } from "./serialize.js";
import {
  requeueActiveTasksOfWorker,
  taskStatusChange,
} from "./state-machine.js";

/** Longest farm-time step simulated at once, milliseconds. */
const STEP_MS = 5_000;
/** Gap between automatic job submissions, milliseconds. */
const SUBMIT_GAP_MS = 120_000;

/**
 * Simulates the farm from `farm.nowMs` to `targetMs` in steps of at most
 * `STEP_MS`: workers heartbeat, take and render tasks, fail some; the
 * Manager's timeouts fire; new jobs arrive.
 */
export function runUntil(farm: Farm, targetMs: number): void {
  while (farm.nowMs < targetMs) {
    const stepMs = Math.min(STEP_MS, targetMs - farm.nowMs);
    farm.nowMs += stepMs;
    for (const worker of farm.workers.values())
      stepWorker(farm, worker, stepMs);
    checkTimeouts(farm);
    deleteRequestedJobs(farm);
    maybeSubmit(farm);
  }
}

function stepWorker(farm: Farm, worker: SimWorker, stepMs: number): void {
  if (worker.behaviour === "silent" || worker.status === "offline") return;
  worker.lastSeenMs = farm.nowMs;
  if (["error", "starting", "restart"].includes(worker.status)) {
    // A worker that is heard from again signs on anew.
    farm.setWorkerStatus(worker, "awake");
  }
  applyStatusChange(farm, worker);
  if (worker.status !== "awake") return;
  const task = worker.taskId ? farm.tasks.get(worker.taskId) : undefined;
  if (!task || task.status !== "active" || task.workerId !== worker.id) {
    // Canceled, paused or taken away by the Manager: the worker stops
    // (killing a hung Blender too) and asks for new work.
    worker.taskId = undefined;
    if (worker.behaviour !== "normal") worker.behaviour = "normal";
    const next = findRunnableTask(farm, worker);
    if (next) startTask(farm, worker, next);
    return;
  }
  if (worker.behaviour === "hung-task") {
    // Blender hangs but keeps printing: the worker's log updates touch
    // the task, so the Manager's task_timeout never fires.
    task.lastTouchedMs = farm.nowMs;
    task.updatedMs = farm.nowMs;
    return;
  }
  if (worker.behaviour === "hung-task-silent") return;
  renderStep(farm, worker, task, stepMs);
}

function applyStatusChange(farm: Farm, worker: SimWorker): void {
  const change = worker.statusChange;
  if (!change || (change.is_lazy && worker.taskId)) return;
  worker.statusChange = undefined;
  if (change.status === "offline" || change.status === "asleep") {
    requeueActiveTasksOfWorker(farm, worker, `worker went ${change.status}`);
  }
  farm.setWorkerStatus(worker, change.status);
}

/**
 * The Manager's scheduler: the highest-priority runnable task of a
 * queued or active job that this worker has not failed and is not
 * blocked from.
 */
export function findRunnableTask(
  farm: Farm,
  worker: SimWorker,
): SimTask | undefined {
  let best: SimTask | undefined;
  for (const job of farm.unfinishedJobs()) {
    if (job.status !== "queued" && job.status !== "active") continue;
    if (best && best.job.priority >= job.priority) continue;
    for (const task of job.tasks) {
      if (task.status !== "queued" && task.status !== "soft-failed") continue;
      if (!worker.supportedTaskTypes.includes(task.taskType)) continue;
      if (task.failedBy.includes(worker.id)) continue;
      if (isBlocked(job, worker.id, task.taskType)) continue;
      best = task;
      break;
    }
  }
  return best;
}

function startTask(farm: Farm, worker: SimWorker, task: SimTask): void {
  const r = farm.random;
  worker.taskId = task.id;
  worker.lastTaskId = task.id;
  worker.frameProgressMs = 0;
  task.workerId = worker.id;
  task.lastTouchedMs = farm.nowMs;
  task.activity = "Starting Blender";
  // A windows worker stands for broken path mapping: it cannot even
  // open the blend file, so every render fails at once.
  if (worker.platform === "windows") task.failAtStep = 0;
  else if (r.chance(farm.options.failureRatio)) {
    task.failAtStep = r.int(0, task.stepsTotal - 1);
  } else task.failAtStep = undefined;
  taskStatusChange(farm, task, "active");
}

function renderStep(
  farm: Farm,
  worker: SimWorker,
  task: SimTask,
  stepMs: number,
): void {
  task.lastTouchedMs = farm.nowMs;
  worker.frameProgressMs += stepMs;
  let progressed = false;
  // Path-mapping failures come at once, render failures mid-frame.
  const failAfterMs = worker.platform === "windows" ? 0 : worker.frameMs / 2;
  for (;;) {
    if (
      task.failAtStep === task.stepsCompleted &&
      worker.frameProgressMs >= failAfterMs
    ) {
      const tail = failureTail(task, worker, farm.random, farm.nowMs);
      return onTaskFailed(farm, worker, task, tail);
    }
    if (worker.frameProgressMs < worker.frameMs) break;
    worker.frameProgressMs -= worker.frameMs;
    task.stepsCompleted++;
    progressed = true;
    const frame = task.frameStart + task.stepsCompleted - 1;
    task.activity = `Rendered frame ${frame}`;
    task.logTail = progressTail(task, worker, frame, farm.nowMs);
    if (task.stepsCompleted >= task.stepsTotal) {
      worker.taskId = undefined;
      task.activity = "Task completed";
      return taskStatusChange(farm, task, "completed");
    }
  }
  if (progressed) {
    farm.touchTask(task);
    farm.touchJob(task.job);
  }
}

function checkTimeouts(farm: Farm): void {
  const now = farm.nowMs;
  for (const worker of farm.workers.values()) {
    if (worker.status === "error" || worker.status === "offline") continue;
    const seen = worker.lastSeenMs ?? 0;
    if (seen <= now - MANAGER_RULES.workerTimeoutMs) {
      worker.statusChange = undefined;
      farm.setWorkerStatus(worker, "error");
      requeueActiveTasksOfWorker(farm, worker, "worker timed out");
    }
  }
  for (const worker of farm.workers.values()) {
    const task = worker.taskId ? farm.tasks.get(worker.taskId) : undefined;
    if (!task || task.status !== "active") continue;
    const touched = task.lastTouchedMs ?? 0;
    if (touched <= now - MANAGER_RULES.taskTimeoutMs) {
      worker.taskId = undefined;
      worker.behaviour = "normal";
      task.activity = `Task timed out on worker ${worker.name} (${worker.id})`;
      taskStatusChange(farm, task, "failed");
    }
  }
}

/** The Manager's job deleter: jobs marked for deletion go, tasks too. */
function deleteRequestedJobs(farm: Farm): void {
  for (const job of farm.deleting) {
    for (const t of job.tasks) farm.tasks.delete(t.id);
    farm.jobs.delete(job.id);
    farm.jobsChanged();
    // KNOWN: the Manager sends only the id (other fields zero values,
    // `status: ""`), we send the last values; zero values break the spec's
    // enum and no client reads them; send `{id, was_deleted}` if one does.
    const event = { ...jobEvent(job), was_deleted: true };
    farm.events.emit("job", farm.shape(event));
  }
  farm.deleting.clear();
}

function maybeSubmit(farm: Farm): void {
  const opts = farm.options;
  if (!opts.keepBusy || farm.nowMs < farm.nextSubmitMs) return;
  if (farm.unfinishedJobs().length >= opts.unfinishedJobs) return;
  farm.nextSubmitMs = farm.nowMs + SUBMIT_GAP_MS;
  const job = createJob(farm, {});
  farm.touchJob(job);
}
