import type { FlamencoClient } from "../shared/flamenco/client.js";
import type { Task } from "../shared/flamenco/types.js";
import type { FailedTaskView } from "../shared/views.js";
import { framesFromCommands, framesFromTaskName } from "./frames.js";
import type { JobTransition } from "./jobs-step.js";
import type { WorkerMemo } from "./state.js";

/** What the failures step needs from the poll. */
export interface FailuresStepInput {
  client: FlamencoClient;
  workers: ReadonlyMap<string, WorkerMemo>;
  serverNowMs: number;
  logTailLines: number;
}

/**
 * Keeps the seen transitions and those inferred ones that the Manager
 * confirms: the task's `failed_by_workers` names the worker it left. One
 * task read each, only for tasks that changed worker between two polls.
 */
export async function confirmInferred(
  transitions: readonly JobTransition[],
  client: FlamencoClient,
): Promise<{ ok: boolean; transitions: JobTransition[] }> {
  let ok = true;
  const kept = await Promise.all(
    transitions.map(async (t) => {
      if (!t.unconfirmed) return t;
      try {
        const detail = (await client.getTask(t.task.id)).body;
        const left = t.task.worker?.id;
        const failed = detail.failed_by_workers ?? [];
        return failed.some((w) => w.id === left) ? t : undefined;
      } catch {
        // Unconfirmed stays uncounted; the step's success gauge says so.
        ok = false;
        return undefined;
      }
    }),
  );
  return { ok, transitions: kept.filter((t) => t !== undefined) };
}

/** Whether a transition is a task failing (hard or soft). */
export function isFailure(t: JobTransition): boolean {
  return t.to === "failed" || t.to === "soft-failed";
}

/**
 * Describes tasks that just failed, with their details and log tails: the
 * only per-task reads the exporter makes. A failed read leaves that part
 * out (frames from the task name, an empty log tail) and marks the step
 * not ok; the failure itself is still reported.
 */
export async function describeFailures(
  failures: readonly JobTransition[],
  input: FailuresStepInput,
): Promise<{ ok: boolean; views: FailedTaskView[] }> {
  let ok = true;
  const views = await Promise.all(
    failures.map(async (t) => {
      const [task, tail] = await Promise.allSettled([
        input.client.getTask(t.task.id),
        input.client.getTaskLogTail(t.task.id),
      ]);
      let detail: Task | undefined;
      if (task.status === "fulfilled") {
        detail = task.value.body;
      } else ok = false;
      const lines = tail.status === "fulfilled" ? tail.value.body : [];
      if (tail.status === "rejected") ok = false;
      return failedView(t, detail, lines.slice(-input.logTailLines), input);
    }),
  );
  return { ok, views };
}

function failedView(
  t: JobTransition,
  detail: Task | undefined,
  logTail: string[],
  input: FailuresStepInput,
): FailedTaskView {
  const worker = detail?.worker ?? t.task.worker;
  const platform =
    worker === undefined
      ? undefined
      : input.workers.get(worker.id)?.detail?.platform;
  const frames =
    framesFromTaskName(t.task.name) ??
    (detail ? framesFromCommands(detail.commands) : undefined);
  const failedAt = Date.parse(t.task.updated);
  return {
    jobId: t.job.id,
    jobName: t.job.name,
    taskId: t.task.id,
    taskName: t.task.name,
    frames,
    status: t.to === "failed" ? "failed" : "soft-failed",
    worker: worker?.name,
    workerId: worker?.id,
    platform,
    failedAt: new Date(
      Number.isNaN(failedAt) ? input.serverNowMs : failedAt,
    ).toISOString(),
    logTail,
  };
}
