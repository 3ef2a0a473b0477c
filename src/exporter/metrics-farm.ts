import { Counter, Gauge, type Registry } from "prom-client";
import { FARM_STATUSES, WORKER_STATUSES } from "../shared/flamenco/types.js";
import { registerJobGauges, type Fill } from "./metrics-jobs.js";
import type { FarmState } from "./state.js";
import type { PollStatus } from "./view.js";

/** What the gauges read at scrape time: one state, swapped whole. */
export interface FarmSource {
  state(): FarmState | undefined;
  status(): PollStatus;
  /** Local wall time, ms. */
  now(): number;
}

type Labels = Record<string, string>;

function workerLabels(w: { id: string; name: string }): Labels {
  return { worker: w.name, worker_id: w.id };
}

function oneHot(
  known: readonly string[],
  actual: string,
  set: (status: string, value: number) => void,
): void {
  for (const s of new Set([...known, actual])) set(s, s === actual ? 1 : 0);
}

/**
 * Registers the metrics of the farm. Health gauges (`flamenco_up`, ages)
 * go to `registry` and are read at scrape time. Every other series is
 * derived from one state and goes to `stateRegistry`, which the exporter
 * renders once per poll, before swapping the state in: a scrape then
 * costs a string copy and always shows one poll. Gauges are rebuilt on
 * each render (reset, then set), so series of deleted workers and
 * finished jobs vanish with them.
 */
export function registerFarmMetrics(
  registry: Registry,
  stateRegistry: Registry,
  src: FarmSource,
): void {
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: Fill,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [stateRegistry],
      collect() {
        this.reset();
        const state = src.state();
        if (state) fill((l, v) => this.set(l, v), state);
      },
    });
  registerHealth(registry, src);
  registerWorkerCounters(stateRegistry, src);
  registerWorkerGauges(gauge);
  registerJobGauges(gauge);
  gauge(
    "flamenco_farm_status",
    "Farm status as the Manager sums it up: 1 for the current one.",
    ["status"],
    (set, s) => {
      if (s.farmStatus === undefined) return;
      oneHot(FARM_STATUSES, s.farmStatus, (status, v) => set({ status }, v));
    },
  );
  gauge(
    "flamenco_manager_info",
    "Version and name of the Flamenco Manager; always 1.",
    ["version", "name"],
    (set, s) => {
      if (s.version)
        set({ version: s.version.version, name: s.version.name }, 1);
    },
  );
  gauge(
    "flamenco_scrape_collector_success",
    "Whether this Manager data source succeeded on the last poll.",
    ["collector"],
    (set, s) => {
      for (const [c, r] of Object.entries(s.collectors)) {
        set({ collector: c }, r.ok ? 1 : 0);
      }
    },
  );
  gauge(
    "flamenco_scrape_collector_duration_seconds",
    "Duration of this Manager data source on the last poll, in seconds.",
    ["collector"],
    (set, s) => {
      for (const [c, r] of Object.entries(s.collectors)) {
        set({ collector: c }, r.durationSeconds);
      }
    },
  );
}

function registerHealth(registry: Registry, src: FarmSource): void {
  const registers = [registry];
  new Gauge({
    name: "flamenco_up",
    help: "Whether the last poll reached the Flamenco Manager (1) or not (0).",
    registers,
    collect() {
      this.set(src.status().up ? 1 : 0);
    },
  });
  new Gauge({
    name: "flamenco_last_successful_poll_timestamp_seconds",
    help: "Unix time of the last successful poll of the Manager, in seconds.",
    registers,
    collect() {
      this.reset();
      const s = src.state();
      if (s) this.set(s.polledAtMs / 1000);
    },
  });
  new Gauge({
    name: "flamenco_view_age_seconds",
    help: "Age of the farm data served, in seconds since its poll.",
    registers,
    collect() {
      this.reset();
      const s = src.state();
      if (s) this.set(Math.max(0, (src.now() - s.polledAtMs) / 1000));
    },
  });
  new Gauge({
    name: "flamenco_poll_duration_seconds",
    help: "Duration of the last successful poll of the Manager, in seconds.",
    registers,
    collect() {
      this.reset();
      const s = src.state();
      if (s) this.set(s.pollDurationSeconds);
    },
  });
}

type GaugeMaker = (
  name: string,
  help: string,
  labelNames: string[],
  fill: Fill,
) => Gauge;
function registerWorkerGauges(gauge: GaugeMaker): void {
  gauge("flamenco_workers", "Workers per status.", ["status"], (set, s) => {
    const counts = new Map<string, number>(WORKER_STATUSES.map((x) => [x, 0]));
    for (const w of s.workers) {
      counts.set(w.summary.status, (counts.get(w.summary.status) ?? 0) + 1);
    }
    for (const [status, n] of counts) set({ status }, n);
  });
  const perWorker = (
    name: string,
    help: string,
    extra: string[],
    fill: (
      set: (l: Labels, v: number) => void,
      w: FarmState["workers"][number],
    ) => void,
  ) =>
    gauge(name, help, ["worker", "worker_id", ...extra], (set, s) => {
      for (const w of s.workers) {
        const base = workerLabels(w.summary);
        fill((l, v) => set({ ...base, ...l }, v), w);
      }
    });
  perWorker(
    "flamenco_worker_status",
    "Status of each worker: 1 for the current one.",
    ["status"],
    (set, w) =>
      oneHot(WORKER_STATUSES, w.summary.status, (status, v) =>
        set({ status }, v),
      ),
  );
  perWorker(
    "flamenco_worker_status_change_pending",
    "1 while a status change of the worker is requested.",
    ["status", "lazy"],
    (set, w) => {
      const c = w.summary.status_change;
      if (c) set({ status: c.status, lazy: String(c.is_lazy) }, 1);
    },
  );
  perWorker(
    "flamenco_worker_last_seen_age_seconds",
    "Seconds since the Manager last heard from the worker, by its clock.",
    [],
    (set, w) => {
      if (w.lastSeenAgeSeconds !== undefined) set({}, w.lastSeenAgeSeconds);
    },
  );
  perWorker(
    "flamenco_worker_info",
    "Version, platform and address of each worker; always 1.",
    ["version", "platform", "address"],
    (set, w) =>
      set(
        {
          version: w.summary.version,
          platform: w.detail?.platform ?? "",
          address: w.detail?.ip_address ?? "",
        },
        1,
      ),
  );
}

function registerWorkerCounters(registry: Registry, src: FarmSource): void {
  // Counters rebuilt from the state at scrape time: the values only grow
  // (see countTransitions) and must vanish with a deleted worker.
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
        for (const w of src.state()?.workers ?? []) {
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
