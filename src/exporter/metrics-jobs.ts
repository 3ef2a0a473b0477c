import type { Gauge } from "prom-client";
import type { FarmState } from "./state.js";

type Labels = Record<string, string>;

/** Sets the series of one gauge from a state. */
export type Fill = (
  set: (labels: Labels, value: number) => void,
  s: FarmState,
) => void;

type GaugeMaker = (
  name: string,
  help: string,
  labelNames: string[],
  fill: Fill,
) => Gauge;

/** Longest job name used as a label value. */
const MAX_JOB_NAME = 64;

function jobLabels(job: { id: string; name: string }): Labels {
  return { job_name: job.name.slice(0, MAX_JOB_NAME), job_id: job.id };
}

/**
 * Job and problem gauges. Per-job series exist only for unfinished jobs
 * (and problems, which only unfinished jobs have), so their number stays
 * bounded however many jobs the Manager keeps.
 */
export function registerJobGauges(gauge: GaugeMaker): void {
  registerJobCounts(gauge);
  registerProblemGauges(gauge);
}

function registerJobCounts(gauge: GaugeMaker): void {
  gauge(
    "flamenco_jobs",
    "Jobs per status and job type.",
    ["status", "type"],
    (set, s) => {
      const counts = new Map<
        string,
        { status: string; type: string; n: number }
      >();
      for (const j of s.jobs) {
        const key = `${j.job.status}\u0000${j.job.type}`;
        const c = counts.get(key) ?? {
          status: j.job.status,
          type: j.job.type,
          n: 0,
        };
        c.n += 1;
        counts.set(key, c);
      }
      for (const c of counts.values())
        set({ status: c.status, type: c.type }, c.n);
    },
  );
  const perJob = (
    name: string,
    help: string,
    extra: string[],
    fill: (
      set: (l: Labels, v: number) => void,
      j: FarmState["jobs"][number],
    ) => void,
  ) =>
    gauge(name, help, ["job_name", "job_id", ...extra], (set, s) => {
      for (const j of s.jobs) {
        if (!j.unfinished) continue;
        const base = jobLabels(j.job);
        fill((l, v) => set({ ...base, ...l }, v), j);
      }
    });
  perJob(
    "flamenco_job_status",
    "1 per unfinished job, with its status and type.",
    ["type", "status"],
    (set, j) => set({ type: j.job.type, status: j.job.status }, 1),
  );
  perJob(
    "flamenco_job_tasks",
    "Tasks of an unfinished job per status.",
    ["status"],
    (set, j) => {
      for (const [status, n] of Object.entries(j.tasksByStatus))
        set({ status }, n);
    },
  );
  perJob(
    "flamenco_job_progress_ratio",
    "Steps completed of an unfinished job, 0 to 1.",
    [],
    (set, j) => set({}, j.progressRatio),
  );
  perJob(
    "flamenco_job_frames_done",
    "Frames in completed tasks of an unfinished job.",
    [],
    (set, j) => {
      if (j.framesDone !== undefined) set({}, j.framesDone);
    },
  );
  perJob(
    "flamenco_job_frames",
    "Frames of an unfinished job.",
    [],
    (set, j) => {
      if (j.framesTotal !== undefined) set({}, j.framesTotal);
    },
  );
  perJob(
    "flamenco_job_eta_seconds",
    "Estimated seconds until an unfinished job is done.",
    [],
    (set, j) => {
      if (j.etaSeconds !== undefined) set({}, j.etaSeconds);
    },
  );
  perJob(
    "flamenco_job_state_age_seconds",
    "Seconds since an unfinished job entered its status.",
    ["status"],
    (set, j) => set({ status: j.job.status }, j.stateAgeSeconds),
  );
}

function registerProblemGauges(gauge: GaugeMaker): void {
  const p = (s: FarmState) => s.problems;
  gauge(
    "flamenco_tasks_stalled",
    "Active tasks without progress for far longer than their siblings took.",
    [],
    (set, s) => set({}, p(s).stalledTasks.length),
  );
  gauge(
    "flamenco_task_stalled",
    "Stalled tasks per job and worker.",
    ["job_name", "job_id", "worker"],
    (set, s) => {
      for (const t of p(s).stalledTasks) {
        set(
          {
            ...jobLabels({ id: t.jobId, name: t.jobName }),
            worker: t.worker ?? "",
          },
          1,
        );
      }
    },
  );
  gauge(
    "flamenco_jobs_stuck",
    "Jobs stuck in a transitional status.",
    [],
    (set, s) => set({}, p(s).stuckJobs.length),
  );
  gauge(
    "flamenco_job_stuck",
    "1 per job stuck in a transitional status.",
    ["job_name", "job_id", "status"],
    (set, s) => {
      for (const j of p(s).stuckJobs) {
        set(
          { ...jobLabels({ id: j.jobId, name: j.jobName }), status: j.status },
          1,
        );
      }
    },
  );
  gauge(
    "flamenco_jobs_unservable",
    "Jobs with queued work that no worker can take.",
    [],
    (set, s) => set({}, p(s).unservableJobs.length),
  );
  gauge(
    "flamenco_job_unservable",
    "1 per job with queued work no worker can take.",
    ["job_name", "job_id", "reason"],
    (set, s) => {
      for (const j of p(s).unservableJobs) {
        set(
          { ...jobLabels({ id: j.jobId, name: j.jobName }), reason: j.reason },
          1,
        );
      }
    },
  );
  gauge(
    "flamenco_job_path_mapping_suspect",
    "1 when all of a job's failures come from one platform.",
    ["job_name", "job_id", "platform"],
    (set, s) => {
      for (const j of p(s).pathMappingSuspects) {
        set(
          {
            ...jobLabels({ id: j.jobId, name: j.jobName }),
            platform: j.platform,
          },
          1,
        );
      }
    },
  );
  gauge(
    "flamenco_workers_vanished",
    "Workers lost at once when the Manager's worker list emptied, else 0.",
    [],
    (set, s) => set({}, s.problems.workersVanished?.before ?? 0),
  );
}
