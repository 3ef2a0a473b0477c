/**
 * Types of the Flamenco Manager API v3 answers that farmwatch reads,
 * written from the OpenAPI spec (`flamenco-openapi.yaml`, components).
 * Timestamps are RFC 3339 strings as on the wire. Names follow the spec's
 * schema names; the `SocketIO*` names are the pre-3.6 names of the
 * `Event*` schemas and stay as aliases.
 */

/** Values of the spec's `FarmStatus` enum. */
export const FARM_STATUSES = [
  "active",
  "idle",
  "waiting",
  "asleep",
  "inoperative",
  "unknown",
  "starting",
] as const;
/** Overall state of the farm, as the Manager sums it up. */
export type FarmStatus = (typeof FARM_STATUSES)[number];

/** Values of the spec's `WorkerStatus` enum. */
export const WORKER_STATUSES = [
  "starting",
  "awake",
  "asleep",
  "error",
  "testing",
  "offline",
  "restart",
] as const;
/** State of one Worker. */
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

/** Values of the spec's `JobStatus` enum. */
export const JOB_STATUSES = [
  "active",
  "canceled",
  "completed",
  "failed",
  "paused",
  "pause-requested",
  "queued",
  "cancel-requested",
  "requeueing",
  "under-construction",
] as const;
/** State of one job. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Job statuses with work still ahead or a change still to settle; every
 * other status is final until someone acts on the job.
 */
export const UNFINISHED_JOB_STATUSES: readonly JobStatus[] = [
  "active",
  "queued",
  "paused",
  "pause-requested",
  "cancel-requested",
  "requeueing",
  "under-construction",
];

/** Values of the spec's `TaskStatus` enum. */
export const TASK_STATUSES = [
  "active",
  "canceled",
  "completed",
  "failed",
  "queued",
  "soft-failed",
  "paused",
] as const;
/** State of one task. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** `GET /api/v3/version`. */
export interface FlamencoVersion {
  /** Human-readable; for release builds equal to `shortversion`. */
  version: string;
  /** E.g. `3.8`, `3.5.1`, `3.3-alpha0`. */
  shortversion: string;
  /** The Manager's configured name. */
  name: string;
  git: string;
}

/** `GET /api/v3/status`. */
export interface FarmStatusReport {
  status: FarmStatus;
}

/** A requested (possibly lazy) status change of a Worker. */
export interface WorkerStatusChangeRequest {
  status: WorkerStatus;
  /** True: change after the current task finishes. */
  is_lazy: boolean;
}

/** One entry of `GET /api/v3/worker-mgt/workers`. */
export interface WorkerSummary {
  id: string;
  name: string;
  status: WorkerStatus;
  status_change?: WorkerStatusChangeRequest;
  /** Last time the Manager heard from the worker; absent if never. */
  last_seen?: string;
  /** Flamenco version the worker runs. */
  version: string;
  can_restart: boolean;
}

/** `GET /api/v3/worker-mgt/workers`. */
export interface WorkerList {
  workers: WorkerSummary[];
}

/** A worker tag (formerly "cluster"). */
export interface WorkerTag {
  id?: string;
  name: string;
  description?: string;
}

/** Just enough of a task for a job's task list. */
export interface TaskSummary {
  id: string;
  name: string;
  status: TaskStatus;
  index_in_job: number;
  priority: number;
  task_type: string;
  updated: string;
  worker?: TaskWorker;
  steps_completed: number;
  steps_total: number;
}

/** The task a worker is assigned, as in `Worker.task`. */
export interface WorkerTask extends TaskSummary {
  job_id: string;
}

/** `GET /api/v3/worker-mgt/workers/{id}`. */
export interface Worker extends WorkerSummary {
  ip_address: string;
  /** `linux`, `windows`, `darwin`, ... (Go's GOOS). */
  platform: string;
  supported_task_types: string[];
  task?: WorkerTask;
  tags?: WorkerTag[];
}

/** Worker reference inside a task. */
export interface TaskWorker {
  id: string;
  name: string;
  /** The worker's IP address. */
  address: string;
}

/** Arbitrary job settings (frames, chunk_size, blendfile, ...). */
export type JobSettings = Record<string, unknown>;
/** Metadata strings of a job (`user.name`, `project`, ...). */
export type JobMetadata = Record<string, string>;

/** The fields a client submits for a job (`SubmittedJob`). */
export interface SubmittedJob {
  name: string;
  type: string;
  type_etag?: string;
  /** 0-100, default 50. */
  priority: number;
  settings?: JobSettings;
  metadata?: JobMetadata;
  submitter_platform: string;
  storage?: { shaman_checkout_id?: string };
  worker_tag?: string;
  initial_status?: JobStatus;
}

/** A job as the Manager stores it. */
export interface Job extends SubmittedJob {
  id: string;
  created: string;
  /** Bumped on every change of the job; cheap change detection. */
  updated: string;
  status: JobStatus;
  activity: string;
  steps_completed: number;
  steps_total: number;
  delete_requested_at?: string;
}

/** `GET /api/v3/jobs` and `POST /api/v3/jobs/query`. */
export interface JobsQueryResult {
  jobs: Job[];
}

/** Body of `POST /api/v3/jobs/query` (Managers up to 3.5). */
export interface JobsQuery {
  offset?: number;
  limit?: number;
  order_by?: string[];
  status_in?: JobStatus[];
  metadata?: Record<string, string>;
  settings?: Record<string, unknown>;
}

/** Body of `POST /api/v3/jobs/{id}/setstatus`. */
export interface JobStatusChange {
  status: JobStatus;
  reason: string;
}

/** `GET /api/v3/jobs/{id}/tasks`: every task of the job, summarised. */
export interface JobTasksSummary {
  tasks: TaskSummary[];
}

/** One command of a task. */
export interface Command {
  name: string;
  parameters: Record<string, unknown>;
  total_step_count: number;
}

/** `GET /api/v3/tasks/{id}`. */
export interface Task {
  id: string;
  created: string;
  updated: string;
  job_id: string;
  index_in_job: number;
  name: string;
  status: TaskStatus;
  priority: number;
  task_type: string;
  activity: string;
  commands: Command[];
  steps_completed: number;
  steps_total: number;
  worker?: TaskWorker;
  /** Last time any worker worked on the task. */
  last_touched?: string;
  /** Workers this task failed on since it was last queued by hand. */
  failed_by_workers?: TaskWorker[];
}

/** Body of `POST /api/v3/tasks/{id}/setstatus`. */
export interface TaskStatusChange {
  status: TaskStatus;
  reason: string;
}

/** A (worker, task type) pair blocked on one job. */
export interface JobBlocklistEntry {
  worker_id: string;
  task_type: string;
  worker_name?: string;
}

/** `GET /api/v3/jobs/{id}/blocklist`. */
export type JobBlocklist = JobBlocklistEntry[];

/** Body of every error answer; `code` repeats the HTTP status. */
export interface FlamencoError {
  code: number;
  message: string;
}
/** The spec's `Error` schema under its own name. */
export type { FlamencoError as Error };

/** Event sent when a job changes (SocketIO room `/jobs`, or MQTT). */
export interface EventJobUpdate {
  id: string;
  name?: string;
  updated: string;
  status: JobStatus;
  previous_status?: JobStatus;
  type: string;
  priority: number;
  /** Mass change: refetch all the job's tasks. */
  refresh_tasks: boolean;
  steps_completed: number;
  steps_total: number;
  delete_requested_at?: string;
  /** Only `id` is meaningful when true. */
  was_deleted?: boolean;
}

/** Worker reference inside a task event. */
export interface AssignedWorker {
  name: string;
  uuid: string;
}

/** Event sent when a task changes (SocketIO room of its job). */
export interface EventTaskUpdate {
  id: string;
  job_id: string;
  worker?: AssignedWorker;
  name: string;
  updated: string;
  status: TaskStatus;
  previous_status?: TaskStatus;
  activity: string;
  steps_completed: number;
  steps_total: number;
}

/** Event sent when a worker changes (SocketIO room `/workers`). */
export interface EventWorkerUpdate {
  id: string;
  name: string;
  updated: string;
  last_seen?: string;
  status: WorkerStatus;
  previous_status?: WorkerStatus;
  status_change?: WorkerStatusChangeRequest;
  version: string;
  deleted_at?: string;
  can_restart: boolean;
}

/** Pre-3.6 name of {@link EventJobUpdate}. */
export type SocketIOJobUpdate = EventJobUpdate;
/** Pre-3.6 name of {@link EventTaskUpdate}. */
export type SocketIOTaskUpdate = EventTaskUpdate;
/** Pre-3.6 name of {@link EventWorkerUpdate}. */
export type SocketIOWorkerUpdate = EventWorkerUpdate;
