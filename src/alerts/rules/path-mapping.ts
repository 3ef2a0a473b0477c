import type { FailedTaskView } from "../../shared/views.js";
import type { Candidate, RuleInput } from "./types.js";

const PATH_ERROR = /cannot read file|no such file|not found|unc path/i;

function suspectsFromFailures(
  tasks: readonly FailedTaskView[],
  minWorkers: number,
) {
  const byJob = new Map<string, FailedTaskView[]>();
  for (const t of tasks) byJob.set(t.jobId, [...(byJob.get(t.jobId) ?? []), t]);
  const out: {
    jobId: string;
    jobName: string;
    platform: string;
    workers: string[];
  }[] = [];
  for (const [jobId, list] of byJob) {
    const platforms = new Set(list.map((t) => t.platform ?? "?"));
    if (platforms.size !== 1 || platforms.has("?")) continue;
    if (!list.some((t) => t.logTail.some((l) => PATH_ERROR.test(l)))) continue;
    const workers = [...new Set(list.map((t) => t.worker ?? "?"))];
    if (workers.length < minWorkers) continue;
    out.push({
      jobId,
      jobName: list[0]!.jobName,
      platform: [...platforms][0]!,
      workers,
    });
  }
  return out;
}

/**
 * One job failing on every worker of one platform with path errors: a
 * path mapping (two-way variable) problem, not N broken workers.
 */
export function pathMappingSuspect(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  const min = input.rules.FlamencoPathMappingSuspect.minWorkers;
  const found = new Map<
    string,
    (typeof farm.problems.pathMappingSuspects)[0]
  >();
  for (const s of suspectsFromFailures(farm.failedTasks, min)) {
    found.set(`${s.jobName}\u0000${s.platform}`, s);
  }
  for (const s of farm.problems.pathMappingSuspects) {
    if (s.workers.length >= min)
      found.set(`${s.jobName}\u0000${s.platform}`, s);
  }
  return [...found.values()].map((s) => ({
    name: "FlamencoPathMappingSuspect" as const,
    labels: { job: s.jobName, platform: s.platform },
    source: "farm" as const,
    summary: "Path mapping suspect: one platform cannot read the job's files",
    description:
      `All failures of ${s.jobName} come from platform=${s.platform} ` +
      `(${s.workers.join(", ")}): the log says it cannot read a file. ` +
      "Check the two-way variables and drive letters; UNC " +
      "\\\\server\\share paths are not supported.",
    value: s.workers.length,
    details: s.workers,
    jobId: s.jobId,
  }));
}
