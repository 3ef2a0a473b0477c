import {
  FARM_STATUSES,
  JOB_STATUSES,
  TASK_STATUSES,
  WORKER_STATUSES,
  type FarmStatusReport,
  type FlamencoVersion,
  type Job,
  type JobBlocklistEntry,
  type Task,
  type TaskSummary,
  type Worker,
  type WorkerSummary,
} from "./types.js";
import {
  checkList,
  checkObject,
  type Shape,
  type ValidationIssue,
} from "./validate.js";

/**
 * Parsers of the Manager's answers, one per spec schema. Each checks the
 * body against the spec's shape (see `validate.ts`), pushes what does not
 * match to `issues` and returns what is safe to use.
 */

// Step counts are required by the spec but came with Manager 3.8; older
// Managers leave them out, which is not worth an issue on every poll.
const STEPS = { steps_completed: "integer", steps_total: "integer" } as const;

const TASK_WORKER: Shape = {
  required: { id: "string", name: "string", address: "string" },
};

const STATUS_CHANGE: Shape = {
  required: { status: WORKER_STATUSES, is_lazy: "boolean" },
};

const WORKER_SUMMARY: Shape = {
  required: {
    id: "string",
    name: "string",
    status: WORKER_STATUSES,
    version: "string",
    can_restart: "boolean",
  },
  optional: { status_change: "object", last_seen: "string" },
};

const WORKER: Shape = {
  required: {
    ...WORKER_SUMMARY.required,
    ip_address: "string",
    platform: "string",
    supported_task_types: "array",
  },
  optional: { ...WORKER_SUMMARY.optional, task: "object", tags: "array" },
};

const JOB: Shape = {
  required: {
    id: "string",
    name: "string",
    type: "string",
    priority: "integer",
    submitter_platform: "string",
    created: "string",
    updated: "string",
    status: JOB_STATUSES,
    activity: "string",
  },
  optional: {
    ...STEPS,
    settings: "object",
    metadata: "object",
    worker_tag: "string",
    delete_requested_at: "string",
  },
};

const TASK_SUMMARY: Shape = {
  required: {
    id: "string",
    name: "string",
    status: TASK_STATUSES,
    index_in_job: "integer",
    priority: "integer",
    task_type: "string",
    updated: "string",
  },
  optional: { ...STEPS, worker: "object" },
};

const TASK: Shape = {
  required: {
    ...TASK_SUMMARY.required,
    created: "string",
    job_id: "string",
    activity: "string",
    commands: "array",
  },
  optional: {
    ...STEPS,
    worker: "object",
    last_touched: "string",
    failed_by_workers: "array",
  },
};

const BLOCKLIST_ENTRY: Shape = {
  required: { worker_id: "string", task_type: "string" },
  optional: { worker_name: "string" },
};

function nestedWorker(
  item: { worker?: unknown },
  path: string,
  issues: ValidationIssue[],
): void {
  if (item.worker === undefined) return;
  const ok = checkObject(item.worker, TASK_WORKER, `${path}/worker`, issues);
  if (ok === undefined) delete item.worker;
}

function nestedStatusChange(
  item: { status_change?: unknown },
  path: string,
  issues: ValidationIssue[],
): void {
  if (item.status_change === undefined) return;
  const where = `${path}/status_change`;
  const ok = checkObject(item.status_change, STATUS_CHANGE, where, issues);
  if (ok === undefined) delete item.status_change;
}

/** `GET /api/v3/version`; undefined when unusable. */
export function parseVersion(
  body: unknown,
  issues: ValidationIssue[],
): FlamencoVersion | undefined {
  const shape: Shape = {
    required: {
      version: "string",
      shortversion: "string",
      name: "string",
      git: "string",
    },
  };
  return checkObject<FlamencoVersion>(body, shape, "", issues);
}

/** `GET /api/v3/status`; undefined when unusable. */
export function parseFarmStatus(
  body: unknown,
  issues: ValidationIssue[],
): FarmStatusReport | undefined {
  const shape: Shape = { required: { status: FARM_STATUSES } };
  return checkObject<FarmStatusReport>(body, shape, "", issues);
}

/** `GET /api/v3/jobs` and `POST /api/v3/jobs/query`. */
export function parseJobs(body: unknown, issues: ValidationIssue[]): Job[] {
  return checkList<Job>(body, "jobs", JOB, issues);
}

/** `GET /api/v3/jobs/{id}`; undefined when unusable. */
export function parseJob(
  body: unknown,
  issues: ValidationIssue[],
): Job | undefined {
  return checkObject<Job>(body, JOB, "", issues);
}

/** `GET /api/v3/worker-mgt/workers`. */
export function parseWorkers(
  body: unknown,
  issues: ValidationIssue[],
): WorkerSummary[] {
  return checkList<WorkerSummary>(
    body,
    "workers",
    WORKER_SUMMARY,
    issues,
    (w, p) => nestedStatusChange(w, p, issues),
  );
}

/** `GET /api/v3/worker-mgt/workers/{id}`; undefined when unusable. */
export function parseWorker(
  body: unknown,
  issues: ValidationIssue[],
): Worker | undefined {
  const worker = checkObject<Worker>(body, WORKER, "", issues);
  if (worker) nestedStatusChange(worker, "", issues);
  if (worker?.task !== undefined) {
    const ok = checkObject(worker.task, TASK_SUMMARY, "/task", issues);
    if (ok === undefined) delete worker.task;
  }
  return worker;
}

/** `GET /api/v3/jobs/{id}/tasks`. */
export function parseTasks(
  body: unknown,
  issues: ValidationIssue[],
): TaskSummary[] {
  return checkList<TaskSummary>(body, "tasks", TASK_SUMMARY, issues, (t, p) =>
    nestedWorker(t, p, issues),
  );
}

/** `GET /api/v3/tasks/{id}`; undefined when unusable. */
export function parseTask(
  body: unknown,
  issues: ValidationIssue[],
): Task | undefined {
  const task = checkObject<Task>(body, TASK, "", issues);
  if (task) nestedWorker(task, "", issues);
  return task;
}

/** `GET /api/v3/jobs/{id}/blocklist`. */
export function parseBlocklist(
  body: unknown,
  issues: ValidationIssue[],
): JobBlocklistEntry[] {
  return checkList<JobBlocklistEntry>(body, undefined, BLOCKLIST_ENTRY, issues);
}
