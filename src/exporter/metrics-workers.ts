import { Counter, type Gauge, type Registry } from "prom-client";
import { WORKER_STATUSES } from "../shared/flamenco/types.js";
import type { Fill } from "./metrics-jobs.js";
import type { FarmState, WorkerState } from "./state.js";

type Labels = Record<string, string>;
type Sample = [Labels, number];
type GaugeMaker = (
  name: string,
  help: string,
  labelNames: string[],
  fill: Fill,
) => Gauge;

function workerLabels(w: { id: string; name: string }): Labels {
  return { worker: w.name, worker_id: w.id };
}

/** Series of one worker: its labels beyond worker and worker_id. */
interface WorkerSeries {
  name: string;
  help: string;
  extra: string[];
  samples(w: WorkerState): Sample[];
}

const PER_WORKER: WorkerSeries[] = [
  {
    name: "flamenco_worker_status",
    help: "Status of each worker: 1 for the current one.",
    extra: ["status"],
    samples: (w) =>
      [...new Set([...WORKER_STATUSES, w.summary.status])].map((status) => [
        { status },
        status === w.summary.status ? 1 : 0,
      ]),
  },
  {
    name: "flamenco_worker_status_change_pending",
    help: "1 while a status change of the worker is requested.",
    extra: ["status", "lazy"],
    samples: (w) => {
      const c = w.summary.status_change;
      return c ? [[{ status: c.status, lazy: String(c.is_lazy) }, 1]] : [];
    },
  },
  {
    name: "flamenco_worker_last_seen_age_seconds",
    help: "Seconds since the Manager last heard from the worker, by its clock.",
    extra: [],
    samples: (w) =>
      w.lastSeenAgeSeconds === undefined ? [] : [[{}, w.lastSeenAgeSeconds]],
  },
  {
    name: "flamenco_worker_info",
    help: "Version, platform and address of each worker; always 1.",
    extra: ["version", "platform", "address"],
    samples: (w) => [
      [
        {
          version: w.summary.version,
          platform: w.detail?.platform ?? "",
          address: w.detail?.ip_address ?? "",
        },
        1,
      ],
    ],
  },
];

/** Worker counts per status and the per-worker series. */
export function registerWorkerGauges(gauge: GaugeMaker): void {
  gauge("flamenco_workers", "Workers per status.", ["status"], (set, s) => {
    const counts = new Map<string, number>(WORKER_STATUSES.map((x) => [x, 0]));
    for (const w of s.workers) {
      counts.set(w.summary.status, (counts.get(w.summary.status) ?? 0) + 1);
    }
    for (const [status, n] of counts) set({ status }, n);
  });
  for (const series of PER_WORKER) {
    const labelNames = ["worker", "worker_id", ...series.extra];
    gauge(series.name, series.help, labelNames, (set, s) => {
      for (const w of s.workers) {
        const base = workerLabels(w.summary);
        for (const [l, v] of series.samples(w)) set({ ...base, ...l }, v);
      }
    });
  }
}

/**
 * Per-worker task counters, rebuilt from the state on each render: the
 * values only grow (see countTransitions) and vanish with a deleted worker.
 */
export function registerWorkerCounters(
  registry: Registry,
  state: () => FarmState | undefined,
): void {
  const counter = (
    name: string,
    help: string,
    key: "tasksCompleted" | "tasksFailed",
  ) =>
    new Counter({
      name,
      help,
      labelNames: ["worker", "worker_id"],
      registers: [registry],
      collect() {
        this.reset();
        for (const w of state()?.workers ?? []) {
          this.inc(workerLabels(w.summary), w[key]);
        }
      },
    });
  counter(
    "flamenco_worker_tasks_completed_total",
    "Tasks this worker was seen completing.",
    "tasksCompleted",
  );
  counter(
    "flamenco_worker_tasks_failed_total",
    "Tasks seen failing or soft-failing on this worker.",
    "tasksFailed",
  );
}
