import type { FailedTaskView, StalledTaskView } from "../shared/views.js";
import type { FarmView } from "../shared/views.js";
import type { JobMemo, WorkerMemo } from "./state.js";
import { median } from "./tasks.js";

type Problems = FarmView["problems"];

/** Thresholds of the problem checks (`exporter.*` config keys). */
export interface ProblemThresholds {
  stalledTaskMinSeconds: number;
  stalledTaskMedianFactor: number;
  stuckJobSeconds: number;
}

/** Job statuses that should pass quickly and can get stuck (C03). */
export const TRANSITIONAL_JOB_STATUSES: ReadonlySet<string> = new Set([
  "pause-requested",
  "cancel-requested",
  "requeueing",
]);

/** Worker statuses in which a worker can pick up new work. */
const SERVING_WORKER_STATUSES = new Set(["awake", "starting", "testing"]);

/**
 * Active tasks without progress (`steps_completed` unchanged) for at least
 * max(`stalledTaskMinSeconds`, factor x the median duration of the job's
 * finished tasks): Blender hung while the worker still heartbeats, so the
 * Manager's task_timeout never fires. Whether the node is also idle is
 * for the alerts part to check against the agent.
 */
// KNOWN: progress is `steps_completed` only; a single-step task rendering
// one long frame looks stalled after stalledTaskMinSeconds until a sibling
// finished and gave a median. The task's `activity` would tell, but it is
// only in per-task reads. The alerts part's cross-check with the node's
// GPU and CPU (C01) keeps this from paging; reading `activity` for long
// active tasks only would fix it here.
export function findStalledTasks(
  jobs: Iterable<JobMemo>,
  serverNowMs: number,
  t: ProblemThresholds,
): StalledTaskView[] {
  const stalled: StalledTaskView[] = [];
  for (const memo of jobs) {
    const med = median(memo.durations);
    const limit = Math.max(
      t.stalledTaskMinSeconds,
      (med ?? 0) * t.stalledTaskMedianFactor,
    );
    for (const task of memo.tasks ?? []) {
      const seen = memo.taskMemo?.get(task.id);
      if (task.status !== "active" || !seen) continue;
      const noProgress = (serverNowMs - seen.progressSinceMs) / 1000;
      if (noProgress < limit) continue;
      stalled.push({
        jobId: memo.job.id,
        jobName: memo.job.name,
        taskId: task.id,
        taskName: task.name,
        worker: task.worker?.name,
        workerId: task.worker?.id,
        activeSeconds:
          (serverNowMs - (seen.activeSinceMs ?? seen.progressSinceMs)) / 1000,
        noProgressSeconds: noProgress,
        medianTaskSeconds: med,
      });
    }
  }
  return stalled;
}

/**
 * Jobs in pause-requested, cancel-requested or requeueing for at least
 * `stuckJobSeconds` with no active task. With active tasks such a job is
 * waiting for them, which is normal.
 */
export function findStuckJobs(
  jobs: Iterable<JobMemo>,
  serverNowMs: number,
  t: ProblemThresholds,
): Problems["stuckJobs"] {
  const stuck: Problems["stuckJobs"] = [];
  for (const memo of jobs) {
    if (!TRANSITIONAL_JOB_STATUSES.has(memo.job.status)) continue;
    if (memo.taskCounts === undefined || (memo.taskCounts["active"] ?? 0) > 0) {
      continue;
    }
    const since = (serverNowMs - memo.statusSinceMs) / 1000;
    if (since < t.stuckJobSeconds) continue;
    stuck.push({
      jobId: memo.job.id,
      jobName: memo.job.name,
      status: memo.job.status,
      sinceSeconds: since,
    });
  }
  return stuck;
}

/**
 * Jobs with queued tasks and none active that no worker can take: no
 * worker awake, or every awake one blocklisted for the job's task types,
 * lacking them, or outside the job's worker tag.
 */
export function findUnservableJobs(
  jobs: Iterable<JobMemo>,
  workers: Iterable<WorkerMemo>,
): Problems["unservableJobs"] {
  const serving = [...workers].filter((w) =>
    SERVING_WORKER_STATUSES.has(w.summary.status),
  );
  const out: Problems["unservableJobs"] = [];
  for (const memo of jobs) {
    if (!["active", "queued"].includes(memo.job.status)) continue;
    const queued = (memo.tasks ?? []).filter((x) => x.status === "queued");
    if (queued.length === 0 || (memo.taskCounts?.["active"] ?? 0) > 0) {
      continue;
    }
    const reason = whyUnservable(memo, queued, serving);
    if (reason)
      out.push({ jobId: memo.job.id, jobName: memo.job.name, reason });
  }
  return out;
}

function whyUnservable(
  memo: JobMemo,
  queued: { task_type: string }[],
  serving: WorkerMemo[],
): string | undefined {
  if (serving.length === 0) return "no worker awake";
  const types = new Set(queued.map((t) => t.task_type));
  const tag = memo.job.worker_tag;
  const blocked = memo.blocklist ?? [];
  const able = serving.filter((w) => {
    const d = w.detail;
    if (tag && d && !(d.tags ?? []).some((x) => x.id === tag)) return false;
    return [...types].some(
      (type) =>
        (!d || d.supported_task_types.includes(type)) &&
        !blocked.some(
          (b) => b.worker_id === w.summary.id && b.task_type === type,
        ),
    );
  });
  if (able.length > 0) return undefined;
  if (blocked.length > 0) return "every awake worker is blocklisted";
  if (tag) return "no awake worker has the job's tag";
  return "no awake worker supports its task types";
}

/**
 * Jobs whose failures all come from workers of one platform, at least two
 * of them, while the farm has workers of another platform: a path mapping
 * (two-way variable) problem, not failing workers. Evidence: the job's
 * blocklist and its failed tasks.
 */
export function findPathMappingSuspects(
  jobs: Iterable<JobMemo>,
  workers: ReadonlyMap<string, WorkerMemo>,
  failed: readonly FailedTaskView[],
): Problems["pathMappingSuspects"] {
  const platforms = new Set(
    [...workers.values()].map((w) => w.detail?.platform).filter(Boolean),
  );
  const out: Problems["pathMappingSuspects"] = [];
  for (const memo of jobs) {
    const ids = new Set((memo.blocklist ?? []).map((b) => b.worker_id));
    for (const f of failed) {
      if (f.jobId === memo.job.id && f.workerId) ids.add(f.workerId);
    }
    const byPlatform = new Map<string, string[]>();
    for (const id of ids) {
      const w = workers.get(id);
      const platform = w?.detail?.platform ?? "unknown";
      const names = byPlatform.get(platform) ?? [];
      names.push(w?.summary.name ?? id);
      byPlatform.set(platform, names);
    }
    const [only] = byPlatform.keys();
    if (byPlatform.size !== 1 || only === undefined || only === "unknown") {
      continue;
    }
    const names = byPlatform.get(only)!;
    if (names.length < 2 || platforms.size < 2) continue;
    out.push({
      jobId: memo.job.id,
      jobName: memo.job.name,
      platform: only,
      workers: names.sort(),
    });
  }
  return out;
}
