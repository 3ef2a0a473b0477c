import {
  UNFINISHED_JOB_STATUSES,
  type FlamencoVersion,
  type Job,
  type JobBlocklistEntry,
  type TaskSummary,
  type Worker,
  type WorkerSummary,
} from "../shared/flamenco/types.js";
import type { FailedTaskView, FarmView } from "../shared/views.js";
import type { TaskMemo } from "./tasks.js";

const UNFINISHED: ReadonlySet<string> = new Set(UNFINISHED_JOB_STATUSES);

/**
 * Whether a job status is one with work ahead. An unknown status is not:
 * per-job series stay bounded even if a Manager sends garbage.
 */
export function isUnfinished(status: string): boolean {
  return UNFINISHED.has(status);
}

/** What the exporter keeps of one job between polls. */
export interface JobMemo {
  job: Job;
  /** Manager time (ms) the job entered its current status, at the latest. */
  statusSinceMs: number;
  /** The status at the poll before; undefined on the first sight. */
  previousStatus?: string;
  tasks?: TaskSummary[];
  /** Tasks per status at the last read, kept after the job finished. */
  taskCounts?: Record<string, number>;
  taskMemo?: Map<string, TaskMemo>;
  /** The job's `updated` when its tasks were last read. */
  tasksForUpdated?: string;
  /** Local monotonic ms of the last task read. */
  tasksReadAtMs?: number;
  /** Durations of tasks seen going active to completed, seconds. */
  durations: number[];
  blocklist?: JobBlocklistEntry[];
  blocklistForUpdated?: string;
}

/** What the exporter keeps of one worker between polls. */
export interface WorkerMemo {
  summary: WorkerSummary;
  detail?: Worker;
  detailReadAtMs?: number;
  detailForStatus?: string;
  tasksCompleted: number;
  tasksFailed: number;
}

/** How one data source did in the last poll. */
export interface CollectorResult {
  ok: boolean;
  durationSeconds: number;
}

/** A worker as exposed, with the memory it needs. */
export interface WorkerState {
  summary: WorkerSummary;
  detail?: Worker;
  lastSeenAgeSeconds?: number;
  currentTask?: { id: string; name: string; jobId: string; jobName: string };
  tasksCompleted: number;
  tasksFailed: number;
}

/** A job as exposed. */
export interface JobState {
  job: Job;
  unfinished: boolean;
  stateAgeSeconds: number;
  tasksByStatus: Record<string, number>;
  progressRatio: number;
  framesDone?: number;
  framesTotal?: number;
  etaSeconds?: number;
}

/**
 * Everything one successful poll learnt: built whole, then swapped in, so
 * that a scrape or a farm view request never sees half a poll.
 */
export interface FarmState {
  /** Manager time of the poll (its Date header), ms. */
  serverNowMs: number;
  /** Local wall time of the poll, ms. */
  polledAtMs: number;
  /** How long the poll took, seconds. */
  pollDurationSeconds: number;
  version?: FlamencoVersion;
  farmStatus?: string;
  workers: WorkerState[];
  jobs: JobState[];
  failedTasks: FailedTaskView[];
  problems: FarmView["problems"];
}
