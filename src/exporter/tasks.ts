import type { TaskSummary, TaskWorker } from "../shared/flamenco/types.js";

/** What the exporter remembers of one task between polls. */
export interface TaskMemo {
  status: string;
  /** Manager time (ms) the task was first seen active this run. */
  activeSinceMs?: number;
  /** `steps_completed` when last changed, and since when (Manager ms). */
  steps: number;
  progressSinceMs: number;
  /** The worker it was active on at the last read. */
  worker?: TaskWorker;
}

// KNOWN: a task's start is the `updated` time at the first read that saw
// it active, so durations are short by up to one poll when an earlier
// progress step moved `updated`; the Manager exposes no activation time.
// Following its task events (Socket.IO) would give the exact transition.

/** A task changing status between two reads of its job's tasks. */
export interface TaskTransition {
  task: TaskSummary;
  from: string;
  to: string;
  /** Active to completed, when the start was seen. */
  durationSeconds?: number;
  /**
   * Inferred, not seen: the task moved to another worker between two
   * reads, so it may have soft-failed on `task.worker` in between; to be
   * confirmed from the task's `failed_by_workers`.
   */
  unconfirmed?: boolean;
}

const parseMs = (iso: string): number | undefined => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

function firstMemo(task: TaskSummary, nowMs: number): TaskMemo {
  const since = Math.min(parseMs(task.updated) ?? nowMs, nowMs);
  return {
    status: task.status,
    steps: task.steps_completed,
    progressSinceMs: task.status === "active" ? since : nowMs,
    activeSinceMs: task.status === "active" ? since : undefined,
    worker: activeWorker(task),
  };
}

function activeWorker(task: TaskSummary): TaskWorker | undefined {
  return task.status === "active" && task.worker?.id ? task.worker : undefined;
}

/**
 * A task that was active on one worker and is now on another soft-failed
 * there, or lost that worker, between two reads: the Manager hands a
 * soft-failed task straight to the next worker.
 */
function movedOn(task: TaskSummary, before: TaskMemo): TaskTransition[] {
  const was = before.worker;
  const now = task.worker?.id;
  const moved = was !== undefined && now !== undefined && now !== was.id;
  if (before.status !== "active" || !moved) return [];
  if (task.status !== "active" && task.status !== "completed") return [];
  return [
    {
      task: { ...task, worker: was },
      from: "active",
      to: "soft-failed",
      unconfirmed: true,
    },
  ];
}

/**
 * Compares a job's fresh task list with what was remembered and returns
 * the new memory and the status transitions. On the first read of a job
 * (`previous` undefined) nothing counts as a transition: only changes this
 * exporter saw happen are counted, so a restart never counts old work.
 * Times are the Manager's clock (`nowMs` from its Date header).
 */
export function trackTasks(
  previous: ReadonlyMap<string, TaskMemo> | undefined,
  tasks: readonly TaskSummary[],
  nowMs: number,
): { memo: Map<string, TaskMemo>; transitions: TaskTransition[] } {
  const memo = new Map<string, TaskMemo>();
  const transitions: TaskTransition[] = [];
  for (const task of tasks) {
    const before = previous?.get(task.id);
    if (!before) {
      memo.set(task.id, firstMemo(task, nowMs));
      if (previous && task.status !== "queued") {
        transitions.push({ task, from: "queued", to: task.status });
      }
      continue;
    }
    transitions.push(...movedOn(task, before));
    const next: TaskMemo = {
      ...before,
      status: task.status,
      worker: activeWorker(task),
    };
    if (task.steps_completed !== before.steps) {
      next.steps = task.steps_completed;
      next.progressSinceMs = nowMs;
    }
    if (task.status === "active" && before.status !== "active") {
      next.activeSinceMs = Math.min(parseMs(task.updated) ?? nowMs, nowMs);
      next.progressSinceMs = nowMs;
    }
    if (task.status !== before.status) {
      const t: TaskTransition = { task, from: before.status, to: task.status };
      const end = parseMs(task.updated);
      if (task.status === "completed" && before.activeSinceMs && end) {
        t.durationSeconds = Math.max(0, (end - before.activeSinceMs) / 1000);
      }
      transitions.push(t);
    }
    if (task.status !== "active") delete next.activeSinceMs;
    memo.set(task.id, next);
  }
  return { memo, transitions };
}

/** Median of a list of numbers; undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
