import type { FailedTaskView } from "../../shared/views.js";
import type { Candidate, RuleInput } from "./types.js";

const LOG_LINES = 3;

function groupFailures(tasks: readonly FailedTaskView[]) {
  const byKey = new Map<string, FailedTaskView[]>();
  for (const t of tasks) {
    const key = `${t.jobId}\u0000${t.worker ?? "?"}`;
    const list = byKey.get(key) ?? [];
    list.push(t);
    byKey.set(key, list);
  }
  return [...byKey.values()];
}

/**
 * Failed and soft-failed tasks, one alert per job and worker. The value is
 * the number of failed tasks, so a growing storm updates the same alert.
 */
export function framesFailed(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  const warnAt = input.rules.FlamencoFramesFailed.blocklistWarnTasks;
  return groupFailures(farm.failedTasks).map((tasks) => {
    const first = tasks[0]!;
    const worker = first.worker ?? "?";
    const frames = tasks.map((t) => t.frames ?? t.taskName);
    const heading =
      tasks.length >= warnAt
        ? ` ${worker} failed ${tasks.length} tasks of this job and is ` +
          "heading for the blocklist."
        : "";
    const details = [
      `frames ${frames.join(", ")} on ${worker}`,
      ...first.logTail.slice(-LOG_LINES),
    ];
    return {
      name: "FlamencoFramesFailed" as const,
      labels: { job: first.jobName, worker },
      source: "farm" as const,
      summary: "Frames failed",
      description:
        `${tasks.length} task(s) of ${first.jobName} failed on ` +
        `${worker}.${heading}`,
      value: tasks.length,
      details,
      jobId: first.jobId,
    };
  });
}

/** A job is failed. */
export function jobFailed(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  return farm.jobs
    .filter((j) => j.status === "failed")
    .map((j) => ({
      name: "FlamencoJobFailed" as const,
      labels: { job: j.name },
      source: "farm" as const,
      summary: "A job failed",
      description: `Job ${j.name} failed (${j.tasksByStatus["failed"] ?? 0} tasks failed).`,
      jobId: j.id,
    }));
}

const TRANSITIONAL = ["pause-requested", "cancel-requested", "requeueing"];

/**
 * A job stuck in a requested state with no active task left to wait for;
 * from the exporter's own finding or from the job list.
 */
export function jobStuck(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  const limit = input.rules.FlamencoJobStuck.stuckSeconds;
  const stuck = new Map<string, { id: string; status: string; s: number }>();
  for (const j of farm.jobs) {
    const active = j.tasksByStatus["active"] ?? 0;
    if (!TRANSITIONAL.includes(j.status) || active > 0) continue;
    if (j.stateAgeSeconds <= limit) continue;
    stuck.set(j.name, { id: j.id, status: j.status, s: j.stateAgeSeconds });
  }
  for (const j of farm.problems.stuckJobs) {
    if (j.sinceSeconds > limit) {
      stuck.set(j.jobName, {
        id: j.jobId,
        status: j.status,
        s: j.sinceSeconds,
      });
    }
  }
  return [...stuck].map(([name, j]) => ({
    name: "FlamencoJobStuck" as const,
    labels: { job: name, status: j.status },
    source: "farm" as const,
    summary: "A job is stuck in a requested state",
    description:
      `Job ${name} has been ${j.status} for ${Math.round(j.s / 60)} min ` +
      "with no active task.",
    value: j.s,
    jobId: j.id,
  }));
}

/** Queued work that no worker can take. */
export function jobUnservable(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  return farm.problems.unservableJobs.map((j) => ({
    name: "FlamencoJobUnservable" as const,
    labels: { job: j.jobName },
    source: "farm" as const,
    summary: "Queued work no worker can take",
    description: `Job ${j.jobName}: ${j.reason}`,
    jobId: j.jobId,
  }));
}

/** A job seen unfinished that is now completed: a one-off notice. */
export function jobFinished(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  const key = "jobFinished.unfinished";
  const before = new Set((input.memory[key] as string[] | undefined) ?? []);
  input.memory[key] = farm.jobs.filter((j) => j.unfinished).map((j) => j.id);
  return farm.jobs
    .filter((j) => j.status === "completed" && before.has(j.id))
    .map((j) => ({
      name: "FlamencoJobFinished" as const,
      labels: { job: j.name },
      source: "farm" as const,
      summary: "A job finished",
      description:
        `Job ${j.name} completed` +
        (j.framesTotal !== undefined ? ` (${j.framesTotal} frames).` : "."),
      event: true,
      jobId: j.id,
    }));
}
