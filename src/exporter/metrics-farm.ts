import { Gauge, type Registry } from "prom-client";
import { FARM_STATUSES } from "../shared/flamenco/types.js";
import { registerJobGauges, type Fill } from "./metrics-jobs.js";
import {
  registerWorkerCounters,
  registerWorkerGauges,
} from "./metrics-workers.js";
import type { CollectorResult, FarmState } from "./state.js";
import type { PollStatus } from "./view.js";

/** What the gauges read. */
export interface FarmSource {
  /** The state being rendered (or the current one). */
  state(): FarmState | undefined;
  /** The state served now: what health gauges read at scrape time. */
  current(): FarmState | undefined;
  status(): PollStatus;
  /** Local wall time, ms. */
  now(): number;
  /** How each data source did in the last poll attempt. */
  collectors(): Readonly<Record<string, CollectorResult>>;
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
  registerWorkerCounters(stateRegistry, () => src.state());
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
      const s = src.current();
      if (s) this.set(s.polledAtMs / 1000);
    },
  });
  new Gauge({
    name: "flamenco_view_age_seconds",
    help: "Age of the farm data served, in seconds since its poll.",
    registers,
    collect() {
      // Before the first good poll there is no data: infinitely old, not
      // fresh (an unlabelled gauge would otherwise read 0).
      const s = src.current();
      this.set(s ? Math.max(0, (src.now() - s.polledAtMs) / 1000) : Infinity);
    },
  });
  new Gauge({
    name: "flamenco_poll_duration_seconds",
    help: "Duration of the last successful poll of the Manager, in seconds.",
    registers,
    collect() {
      this.reset();
      const s = src.current();
      if (s) this.set(s.pollDurationSeconds);
    },
  });
  registerCollectors(registry, src);
}

/**
 * Success and duration of each data source in the last poll attempt, read
 * at scrape time: a failed poll shows its failed source as 0 at once.
 */
function registerCollectors(registry: Registry, src: FarmSource): void {
  const labelNames = ["collector"];
  const registers = [registry];
  new Gauge({
    name: "flamenco_scrape_collector_success",
    help: "Whether this Manager data source succeeded on the last poll.",
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [c, r] of Object.entries(src.collectors())) {
        this.set({ collector: c }, r.ok ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "flamenco_scrape_collector_duration_seconds",
    help: "Duration of this Manager data source on the last poll, in seconds.",
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [c, r] of Object.entries(src.collectors())) {
        this.set({ collector: c }, r.durationSeconds);
      }
    },
  });
}
