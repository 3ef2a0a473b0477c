import type {
  EventJobUpdate,
  EventTaskUpdate,
  EventWorkerUpdate,
  Job,
  JobStatus,
  Task,
  TaskStatus,
  TaskSummary,
  TaskWorker,
  Worker,
  WorkerStatus,
  WorkerSummary,
} from "../shared/flamenco/types.js";
import type { SimJob, SimTask, SimWorker } from "./model.js";

/** Farm milliseconds as the Manager writes timestamps (RFC 3339, UTC). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function jobSteps(job: SimJob): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const t of job.tasks) {
    done += t.stepsCompleted;
    total += t.stepsTotal;
  }
  return { done, total };
}

/**
 * A job as `GET /jobs/{id}` answers. Like the real Manager,
 * `submitter_platform` is not stored and comes back empty.
 */
export function jobToApi(job: SimJob): Job {
  const steps = jobSteps(job);
  const out: Job = {
    name: job.name,
    type: job.type,
    priority: job.priority,
    settings: job.settings,
    metadata: job.metadata,
    submitter_platform: "",
    id: job.id,
    created: iso(job.createdMs),
    updated: iso(job.updatedMs),
    status: job.status,
    activity: job.activity,
    steps_completed: steps.done,
    steps_total: steps.total,
  };
  if (job.deleteRequestedMs !== undefined) {
    out.delete_requested_at = iso(job.deleteRequestedMs);
  }
  return out;
}

/**
 * The job's JSON, cached until the job changes; `shape` adapts it to the
 * Manager version (see `Farm.shape`).
 */
export function jobJson(job: SimJob, shape: (j: Job) => Job): string {
  job.json ??= JSON.stringify(shape(jobToApi(job)));
  return job.json;
}

/**
 * The worker reference of a task. The real Manager answers
 * `{id: "", name: "", address: ""}` for a task no worker took, and only
 * the id for a worker that no longer exists.
 */
export function taskWorker(
  task: SimTask,
  worker: SimWorker | undefined,
): TaskWorker {
  if (!worker) return { id: task.workerId ?? "", name: "", address: "" };
  return { id: worker.id, name: worker.name, address: worker.address };
}

/** A task as listed by `GET /jobs/{id}/tasks`. */
export function taskSummaryToApi(
  task: SimTask,
  worker: SimWorker | undefined,
): TaskSummary {
  return {
    id: task.id,
    name: task.name,
    status: task.status,
    index_in_job: task.indexInJob,
    priority: task.priority,
    task_type: task.taskType,
    updated: iso(task.updatedMs),
    worker: taskWorker(task, worker),
    steps_completed: task.stepsCompleted,
    steps_total: task.stepsTotal,
  };
}

/** A task as `GET /tasks/{id}` answers. */
export function taskToApi(
  task: SimTask,
  lookup: (id: string) => SimWorker | undefined,
): Task {
  const worker = task.workerId ? lookup(task.workerId) : undefined;
  const out: Task = {
    id: task.id,
    created: iso(task.createdMs),
    updated: iso(task.updatedMs),
    job_id: task.job.id,
    index_in_job: task.indexInJob,
    name: task.name,
    status: task.status,
    priority: task.priority,
    task_type: task.taskType,
    activity: task.activity,
    commands: [
      {
        name: "blender-render",
        parameters: {
          exe: "{blender}",
          blendfile: task.job.settings["blendfile"],
          args: ["--render-frame", `${task.frameStart}..${task.frameEnd}`],
        },
        total_step_count: task.stepsTotal,
      },
    ],
    steps_completed: task.stepsCompleted,
    steps_total: task.stepsTotal,
    worker: taskWorker(task, worker),
    failed_by_workers: task.failedBy.map((id) =>
      taskWorker({ ...task, workerId: id }, lookup(id)),
    ),
  };
  if (task.lastTouchedMs !== undefined) {
    out.last_touched = iso(task.lastTouchedMs);
  }
  return out;
}

/** A worker as listed by `GET /worker-mgt/workers`. */
export function workerSummaryToApi(w: SimWorker): WorkerSummary {
  const out: WorkerSummary = {
    id: w.id,
    name: w.name,
    status: w.status,
    version: w.version,
    can_restart: w.canRestart,
  };
  if (w.statusChange) out.status_change = { ...w.statusChange };
  if (w.lastSeenMs !== undefined) out.last_seen = iso(w.lastSeenMs);
  return out;
}

/**
 * A worker as `GET /worker-mgt/workers/{id}` answers; `task` is its
 * active task, else the last one it worked on.
 */
export function workerToApi(w: SimWorker, task: SimTask | undefined): Worker {
  const out: Worker = {
    ...workerSummaryToApi(w),
    ip_address: w.address,
    platform: w.platform,
    supported_task_types: [...w.supportedTaskTypes],
  };
  if (task) out.task = { ...taskSummaryToApi(task, w), job_id: task.job.id };
  return out;
}

/** The `/jobs` room message for a change of `job`. */
export function jobEvent(
  job: SimJob,
  previous?: JobStatus,
  refreshTasks = false,
): EventJobUpdate {
  const steps = jobSteps(job);
  const out: EventJobUpdate = {
    id: job.id,
    name: job.name,
    updated: iso(job.updatedMs),
    status: job.status,
    type: job.type,
    priority: job.priority,
    refresh_tasks: refreshTasks,
    steps_completed: steps.done,
    steps_total: steps.total,
  };
  if (previous !== undefined) out.previous_status = previous;
  if (job.deleteRequestedMs !== undefined) {
    out.delete_requested_at = iso(job.deleteRequestedMs);
  }
  return out;
}

/** The task room message for a change of `task`. */
export function taskEvent(
  task: SimTask,
  worker: SimWorker | undefined,
  previous?: TaskStatus,
): EventTaskUpdate {
  const out: EventTaskUpdate = {
    id: task.id,
    job_id: task.job.id,
    name: task.name,
    updated: iso(task.updatedMs),
    status: task.status,
    activity: task.activity,
    steps_completed: task.stepsCompleted,
    steps_total: task.stepsTotal,
  };
  if (worker) out.worker = { name: worker.name, uuid: worker.id };
  if (previous !== undefined) out.previous_status = previous;
  return out;
}

/** The `/workers` room message for a change of `w`. */
export function workerEvent(
  w: SimWorker,
  previous?: WorkerStatus,
  deletedMs?: number,
): EventWorkerUpdate {
  const out: EventWorkerUpdate = {
    id: w.id,
    name: w.name,
    updated: iso(w.updatedMs),
    status: w.status,
    version: w.version,
    can_restart: w.canRestart,
  };
  if (w.lastSeenMs !== undefined) out.last_seen = iso(w.lastSeenMs);
  if (previous !== undefined) out.previous_status = previous;
  if (w.statusChange) out.status_change = { ...w.statusChange };
  if (deletedMs !== undefined) out.deleted_at = iso(deletedMs);
  return out;
}
