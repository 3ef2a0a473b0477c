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
  gauge(
    "flamenco_jobs",
    "Jobs per status and job type.",
    ["status", "type"],
    fillJobCounts,
  );
  for (const series of PER_JOB) {
    const labelNames = ["job_name", "job_id", ...series.extra];
    gauge(series.name, series.help, labelNames, (set, s) => {
      for (const j of s.jobs) {
        if (!j.unfinished) continue;
        const base = jobLabels(j.job);
        for (const [l, v] of series.samples(j)) set({ ...base, ...l }, v);
      }
    });
  }
  for (const series of PROBLEMS) {
    gauge(series.name, series.help, series.labels, (set, s) => {
      for (const [l, v] of series.samples(s)) set(l, v);
    });
  }
}

function fillJobCounts(set: (l: Labels, v: number) => void, s: FarmState) {
  const counts = new Map<string, { l: Labels; n: number }>();
  for (const { job } of s.jobs) {
    const key = `${job.status}\u0000${job.type}`;
    const c = counts.get(key) ?? {
      l: { status: job.status, type: job.type },
      n: 0,
    };
    c.n += 1;
    counts.set(key, c);
  }
  for (const c of counts.values()) set(c.l, c.n);
}

type Sample = [Labels, number];
type JobState = FarmState["jobs"][number];

/** Series of one unfinished job: its labels beyond job_name and job_id. */
interface JobSeries {
  name: string;
  help: string;
  extra: string[];
  samples(j: JobState): Sample[];
}

const when = (v: number | undefined): Sample[] =>
  v === undefined ? [] : [[{}, v]];

const PER_JOB: JobSeries[] = [
  {
    name: "flamenco_job_status",
    help: "1 per unfinished job, with its status and type.",
    extra: ["type", "status"],
    samples: (j) => [[{ type: j.job.type, status: j.job.status }, 1]],
  },
  {
    name: "flamenco_job_tasks",
    help: "Tasks of an unfinished job per status.",
    extra: ["status"],
    samples: (j) =>
      Object.entries(j.tasksByStatus).map(([status, n]) => [{ status }, n]),
  },
  {
    name: "flamenco_job_progress_ratio",
    help: "Steps completed of an unfinished job, 0 to 1.",
    extra: [],
    samples: (j) => when(j.progressRatio),
  },
  {
    name: "flamenco_job_frames_done",
    help: "Frames in completed tasks of an unfinished job.",
    extra: [],
    samples: (j) => when(j.framesDone),
  },
  {
    name: "flamenco_job_frames",
    help: "Frames of an unfinished job.",
    extra: [],
    samples: (j) => when(j.framesTotal),
  },
  {
    name: "flamenco_job_eta_seconds",
    help: "Estimated seconds until an unfinished job is done.",
    extra: [],
    samples: (j) => when(j.etaSeconds),
  },
  {
    name: "flamenco_job_state_age_seconds",
    help: "Seconds since an unfinished job entered its status.",
    extra: ["status"],
    samples: (j) => [[{ status: j.job.status }, j.stateAgeSeconds]],
  },
];

/** Series of the problems found; per-job ones only name unfinished jobs. */
interface ProblemSeries {
  name: string;
  help: string;
  labels: string[];
  samples(s: FarmState): Sample[];
}

const ofJob = (p: { jobId: string; jobName: string }, l: Labels): Labels => ({
  ...jobLabels({ id: p.jobId, name: p.jobName }),
  ...l,
});

const PROBLEMS: ProblemSeries[] = [
  {
    name: "flamenco_tasks_stalled",
    help: "Active tasks without progress for far longer than their siblings took.",
    labels: [],
    samples: (s) => [[{}, s.problems.stalledTasks.length]],
  },
  {
    name: "flamenco_task_stalled",
    help: "Stalled tasks per job and worker.",
    labels: ["job_name", "job_id", "worker"],
    samples: (s) =>
      s.problems.stalledTasks.map((t) => [
        ofJob(t, { worker: t.worker ?? "" }),
        1,
      ]),
  },
  {
    name: "flamenco_jobs_stuck",
    help: "Jobs stuck in a transitional status.",
    labels: [],
    samples: (s) => [[{}, s.problems.stuckJobs.length]],
  },
  {
    name: "flamenco_job_stuck",
    help: "1 per job stuck in a transitional status.",
    labels: ["job_name", "job_id", "status"],
    samples: (s) =>
      s.problems.stuckJobs.map((j) => [ofJob(j, { status: j.status }), 1]),
  },
  {
    name: "flamenco_jobs_unservable",
    help: "Jobs with queued work that no worker can take.",
    labels: [],
    samples: (s) => [[{}, s.problems.unservableJobs.length]],
  },
  {
    name: "flamenco_job_unservable",
    help: "1 per job with queued work no worker can take.",
    labels: ["job_name", "job_id", "reason"],
    samples: (s) =>
      s.problems.unservableJobs.map((j) => [ofJob(j, { reason: j.reason }), 1]),
  },
  {
    name: "flamenco_job_path_mapping_suspect",
    help: "1 when all of a job's failures come from one platform.",
    labels: ["job_name", "job_id", "platform"],
    samples: (s) =>
      s.problems.pathMappingSuspects.map((j) => [
        ofJob(j, { platform: j.platform }),
        1,
      ]),
  },
  {
    name: "flamenco_workers_vanished",
    help: "Workers lost at once when the Manager's worker list emptied, else 0.",
    labels: [],
    samples: (s) => [[{}, s.problems.workersVanished?.before ?? 0]],
  },
];
