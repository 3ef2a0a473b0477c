import type {
  JobStatus,
  TaskStatus,
  WorkerStatus,
  WorkerStatusChangeRequest,
} from "../shared/flamenco/types.js";

/** What a simulated worker is doing besides what the Manager sees. */
export type WorkerBehaviour =
  "normal" | "silent" | "hung-task" | "hung-task-silent";

/** One simulated worker. Timestamps are farm-clock Unix milliseconds. */
export interface SimWorker {
  id: string;
  name: string;
  /** Always a loopback address (127.0.0.x). */
  address: string;
  platform: string;
  /** Flamenco version the worker reports. */
  version: string;
  /** Blender version it renders with (shows in log tails). */
  blenderVersion: string;
  status: WorkerStatus;
  statusChange: WorkerStatusChangeRequest | undefined;
  lastSeenMs: number | undefined;
  updatedMs: number;
  canRestart: boolean;
  supportedTaskTypes: string[];
  /** Id of the task it is working on (status active), if any. */
  taskId: string | undefined;
  /** Id of the last task it worked on, shown when idle. */
  lastTaskId: string | undefined;
  /** Farm time spent on the current frame, milliseconds. */
  frameProgressMs: number;
  /** Render time per frame on this machine, milliseconds. */
  frameMs: number;
  /**
   * "silent": no heartbeat at all. "hung-task": heartbeats and Blender
   * still prints (task touched), no progress. "hung-task-silent":
   * heartbeats, Blender prints nothing (task untouched, task_timeout).
   */
  behaviour: WorkerBehaviour;
}

/** One simulated task (a chunk of frames of a job). */
export interface SimTask {
  id: string;
  job: SimJob;
  indexInJob: number;
  name: string;
  status: TaskStatus;
  priority: number;
  taskType: string;
  activity: string;
  stepsCompleted: number;
  stepsTotal: number;
  frameStart: number;
  frameEnd: number;
  workerId: string | undefined;
  createdMs: number;
  updatedMs: number;
  lastTouchedMs: number | undefined;
  /** Workers it failed on since last requeued by hand (ids). */
  failedBy: string[];
  /** The last lines of its log; empty: no log yet (answers 204). */
  logTail: string;
  /** Step at which the current run will fail; undefined: it succeeds. */
  failAtStep: number | undefined;
}

/** One simulated job. */
export interface SimJob {
  id: string;
  name: string;
  type: string;
  priority: number;
  status: JobStatus;
  activity: string;
  createdMs: number;
  updatedMs: number;
  settings: Record<string, unknown>;
  metadata: Record<string, string>;
  submitterPlatform: string;
  tasks: SimTask[];
  /** Blocked (worker id, task type) pairs. */
  blocklist: { workerId: string; taskType: string }[];
  /** When deletion was requested; it is deleted at the next step. */
  deleteRequestedMs: number | undefined;
  /** Cached JSON of the job; cleared on every change. */
  json: string | undefined;
}
