import type { Config } from "../shared/config/schema.js";
import type { FlamencoVersion } from "../shared/flamenco/types.js";
import type { FailedTaskView } from "../shared/views.js";
import { jobFramesTotal, countFrames, framesFromTaskName } from "./frames.js";
import type { JobTransition } from "./jobs-step.js";
import {
  findPathMappingSuspects,
  findStalledTasks,
  findStuckJobs,
  findUnservableJobs,
} from "./problems.js";
import {
  isUnfinished,
  type FarmState,
  type JobMemo,
  type JobState,
  type WorkerMemo,
  type WorkerState,
} from "./state.js";
import { median } from "./tasks.js";
import type { VanishedWorkers } from "./workers-step.js";

/** Everything {@link buildState} reads. */
export interface BuildInput {
  cfg: Config["exporter"];
  serverNowMs: number;
  polledAtMs: number;
  pollDurationSeconds: number;
  version: FlamencoVersion | undefined;
  farmStatus: string | undefined;
  jobs: ReadonlyMap<string, JobMemo>;
  workers: ReadonlyMap<string, WorkerMemo>;
  transitions: readonly JobTransition[];
  failed: readonly FailedTaskView[];
  vanished: VanishedWorkers | undefined;
}

/**
 * Adds task transitions to the per-worker counters in memory: completed,
 * and failed or soft-failed. They only grow; a deleted job takes nothing
 * away.
 */
export function countTransitions(
  workers: ReadonlyMap<string, WorkerMemo>,
  transitions: readonly JobTransition[],
): void {
  for (const t of transitions) {
    const memo = t.task.worker ? workers.get(t.task.worker.id) : undefined;
    if (!memo) continue;
    if (t.to === "completed") memo.tasksCompleted += 1;
    if (t.to === "failed" || t.to === "soft-failed") memo.tasksFailed += 1;
  }
}

/** A new, self-contained state from the poller's memory. */
export function buildState(input: BuildInput): FarmState {
  const { serverNowMs, jobs, workers, cfg } = input;
  const jobStates = [...jobs.values()].map((m) => jobState(m, serverNowMs));
  const current = currentTasks(jobs);
  const workerStates = [...workers.values()].map((m) =>
    workerState(m, serverNowMs, current),
  );
  return {
    serverNowMs,
    polledAtMs: input.polledAtMs,
    pollDurationSeconds: input.pollDurationSeconds,
    version: input.version,
    farmStatus: input.farmStatus,
    workers: workerStates,
    jobs: jobStates,
    failedTasks: [...input.failed],
    problems: {
      stalledTasks: findStalledTasks(jobs.values(), serverNowMs, cfg),
      stuckJobs: findStuckJobs(jobs.values(), serverNowMs, cfg),
      unservableJobs: findUnservableJobs(jobs.values(), workers.values()),
      pathMappingSuspects: findPathMappingSuspects(
        jobs.values(),
        workers,
        input.failed,
      ),
      workersVanished: input.vanished,
    },
  };
}

function currentTasks(
  jobs: ReadonlyMap<string, JobMemo>,
): Map<string, WorkerState["currentTask"]> {
  const byWorker = new Map<string, WorkerState["currentTask"]>();
  for (const memo of jobs.values()) {
    for (const t of memo.tasks ?? []) {
      if (t.status !== "active" || !t.worker) continue;
      byWorker.set(t.worker.id, {
        id: t.id,
        name: t.name,
        jobId: memo.job.id,
        jobName: memo.job.name,
      });
    }
  }
  return byWorker;
}

function workerState(
  memo: WorkerMemo,
  serverNowMs: number,
  current: Map<string, WorkerState["currentTask"]>,
): WorkerState {
  const seen = Date.parse(memo.summary.last_seen ?? "");
  const task = memo.detail?.task;
  return {
    summary: memo.summary,
    detail: memo.detail,
    lastSeenAgeSeconds: Number.isNaN(seen)
      ? undefined
      : Math.max(0, (serverNowMs - seen) / 1000),
    currentTask:
      current.get(memo.summary.id) ??
      (task && task.status === "active"
        ? { id: task.id, name: task.name, jobId: task.job_id, jobName: "" }
        : undefined),
    tasksCompleted: memo.tasksCompleted,
    tasksFailed: memo.tasksFailed,
  };
}

function jobState(memo: JobMemo, serverNowMs: number): JobState {
  const job = memo.job;
  const counts = memo.taskCounts ?? {};
  const state: JobState = {
    job,
    unfinished: isUnfinished(job.status),
    stateAgeSeconds: Math.max(0, (serverNowMs - memo.statusSinceMs) / 1000),
    tasksByStatus: { ...counts },
    progressRatio: progressOf(job, counts),
    framesTotal: jobFramesTotal(job.settings),
  };
  if (memo.tasks) {
    state.framesDone = memo.tasks
      .filter((t) => t.status === "completed")
      .reduce(
        (n, t) => n + (countFrames(framesFromTaskName(t.name) ?? "") ?? 0),
        0,
      );
  }
  const med = median(memo.durations);
  if (state.unfinished && med !== undefined) {
    const left =
      (counts["queued"] ?? 0) +
      (counts["active"] ?? 0) +
      (counts["soft-failed"] ?? 0);
    const parallel = Math.max(1, counts["active"] ?? 0);
    state.etaSeconds = (left * med) / parallel;
  }
  return state;
}

/**
 * Steps completed over steps total; from task counts on Managers before
 * 3.8, which report no steps.
 */
function progressOf(
  job: JobState["job"],
  counts: Record<string, number>,
): number {
  const total = job.steps_total;
  if (typeof total === "number" && total > 0) {
    return Math.min(1, (job.steps_completed ?? 0) / total);
  }
  const tasks = Object.values(counts).reduce((a, b) => a + b, 0);
  return tasks > 0 ? (counts["completed"] ?? 0) / tasks : 0;
}
