import type { FlamencoClient } from "../shared/flamenco/client.js";
import type { Job, TaskSummary } from "../shared/flamenco/types.js";
import { isUnfinished, type JobMemo } from "./state.js";
import { trackTasks, type TaskTransition } from "./tasks.js";

/** Durations kept per job for its median and ETA. */
const DURATIONS_KEPT = 50;

/** A task transition with the job it belongs to. */
export interface JobTransition extends TaskTransition {
  job: Job;
}

/** What the jobs step needs from the poll. */
export interface JobsStepInput {
  client: FlamencoClient;
  /** Manager clock, ms. */
  serverNowMs: number;
  /** Local monotonic clock, ms. */
  monoNowMs: number;
  taskRefreshSeconds: number;
}

const parseMs = (iso: string, fallback: number): number => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? fallback : Math.min(ms, fallback);
};

/** Counts of a task list per status. */
export function countByStatus(
  tasks: readonly TaskSummary[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

/**
 * Brings the job memory up to date with a fresh job list: forgets deleted
 * jobs, notes status changes, and reads tasks only where something can
 * have changed (see {@link needsTasks}). Returns the task transitions seen
 * and whether every task read succeeded. A failed read keeps the job's
 * previous tasks and is retried next poll.
 */
export async function refreshJobs(
  memory: Map<string, JobMemo>,
  jobs: readonly Job[],
  input: JobsStepInput,
): Promise<{ ok: boolean; transitions: JobTransition[]; reads: number }> {
  const wanted: JobMemo[] = [];
  const listed = new Set<string>();
  for (const job of jobs) {
    listed.add(job.id);
    const memo = noteJob(memory, job, input.serverNowMs);
    if (needsTasks(memo, input)) wanted.push(memo);
  }
  for (const id of [...memory.keys()]) {
    if (!listed.has(id)) memory.delete(id);
  }

  const transitions: JobTransition[] = [];
  const results = await Promise.allSettled(
    wanted.map(async (memo) => {
      const answer = await input.client.getJobTasks(memo.job.id);
      const fresh = trackTasks(memo.taskMemo, answer.body, input.serverNowMs);
      for (const t of fresh.transitions) {
        transitions.push({ ...t, job: memo.job });
        if (t.durationSeconds !== undefined) {
          memo.durations.push(t.durationSeconds);
        }
      }
      memo.durations.splice(0, memo.durations.length - DURATIONS_KEPT);
      storeTasks(memo, answer.body, fresh.memo, input.monoNowMs);
    }),
  );
  const ok = results.every((r) => r.status === "fulfilled");
  return { ok, transitions, reads: wanted.length };
}

function noteJob(
  memory: Map<string, JobMemo>,
  job: Job,
  serverNowMs: number,
): JobMemo {
  const memo = memory.get(job.id);
  if (!memo) {
    // The job's `updated` is at or after its last status change: a safe
    // lower bound for how long it has been in this status.
    const since = parseMs(job.updated, serverNowMs);
    const fresh: JobMemo = { job, statusSinceMs: since, durations: [] };
    memory.set(job.id, fresh);
    return fresh;
  }
  if (memo.job.status !== job.status) memo.statusSinceMs = serverNowMs;
  memo.previousStatus = memo.job.status;
  memo.job = job;
  return memo;
}

/**
 * Tasks are read for an unfinished job whose `updated` moved (the Manager
 * bumps it on every job status and progress change), for an active job
 * that had active tasks at the last read, or whose last read is older
 * than `taskRefreshSeconds`; and once more for a job that just finished,
 * so that its last tasks are counted. Active jobs are read every poll
 * because a task failing does not touch its job: the Manager saves only
 * the task's status then (`taskStatusChangeOnly` in
 * internal/manager/task_state_machine), and a failure must show within
 * one poll. A rendering job's `updated` moves with every frame anyway.
 */
export function needsTasks(
  memo: JobMemo,
  input: Pick<JobsStepInput, "monoNowMs" | "taskRefreshSeconds">,
): boolean {
  const changed = memo.tasksForUpdated !== memo.job.updated;
  if (isUnfinished(memo.job.status)) {
    const age = input.monoNowMs - (memo.tasksReadAtMs ?? -Infinity);
    const rendering =
      memo.job.status === "active" && (memo.taskCounts?.["active"] ?? 0) > 0;
    return changed || rendering || age >= input.taskRefreshSeconds * 1000;
  }
  const wasUnfinished =
    memo.previousStatus !== undefined && isUnfinished(memo.previousStatus);
  return changed && (wasUnfinished || memo.taskMemo !== undefined);
}

function storeTasks(
  memo: JobMemo,
  tasks: TaskSummary[],
  taskMemo: JobMemo["taskMemo"],
  monoNowMs: number,
): void {
  memo.taskCounts = countByStatus(tasks);
  memo.tasksForUpdated = memo.job.updated;
  memo.tasksReadAtMs = monoNowMs;
  if (isUnfinished(memo.job.status)) {
    memo.tasks = tasks;
    memo.taskMemo = taskMemo;
    return;
  }
  // A finished job's tasks are not needed again; its counts stay.
  delete memo.tasks;
  delete memo.taskMemo;
}
