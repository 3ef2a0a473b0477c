import type { Logger } from "../shared/logger.js";
import type { SourceStatus } from "../shared/views.js";
import {
  CollectorFailure,
  type Collector,
  type Sample,
  type SnapshotPatch,
} from "./collector.js";
import type { SampleStore } from "./registry.js";

interface CollectorState {
  collector: Collector;
  running: boolean;
  skipped: number;
  status: SourceStatus;
  patch: SnapshotPatch;
  lastSuccessSeconds?: number;
  /** The failure reason last logged; undefined while healthy. */
  failing?: string;
}

/** Options for {@link CollectorRunner}. */
export interface RunnerOptions {
  logger: Logger;
  store: SampleStore;
  /** Unix time in milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * Runs each collector in the background on its own interval. A tick that
 * finds the previous run still active is skipped and counted, so a
 * collector never runs twice at once and a blocked event loop never causes
 * a burst of catch-up runs. Results go to the sample store; a failure
 * keeps only the collector's status series and the samples the failure
 * carries.
 */
export class CollectorRunner {
  private readonly states = new Map<string, CollectorState>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;

  constructor(
    collectors: readonly Collector[],
    private readonly options: RunnerOptions,
  ) {
    this.now = options.now ?? Date.now;
    for (const collector of collectors) {
      this.states.set(collector.name, {
        collector,
        running: false,
        skipped: 0,
        status: { ok: false, reason: "starting" },
        patch: {},
      });
    }
  }

  /** Starts every collector now, then on its interval. */
  start(): void {
    for (const state of this.states.values()) {
      void this.tick(state);
      const ms = state.collector.intervalSeconds * 1000;
      this.timers.push(setInterval(() => void this.tick(state), ms));
    }
  }

  /** Runs one collector once, unless it is already running. */
  async runOnce(name: string): Promise<void> {
    const state = this.states.get(name);
    if (!state) throw new Error(`agent has no collector ${name}`);
    await this.tick(state);
  }

  /** Stops the timers and closes the collectors' helpers. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await Promise.allSettled(
      [...this.states.values()].map((s) => s.collector.close?.()),
    );
  }

  /** Status of every collector, for the JSON snapshot and /healthz. */
  statuses(): Record<string, SourceStatus> {
    const out: Record<string, SourceStatus> = {};
    for (const [name, s] of this.states) out[name] = { ...s.status };
    return out;
  }

  /** The snapshot parts of every collector's last run. */
  patches(): SnapshotPatch[] {
    return [...this.states.values()].map((s) => s.patch);
  }

  private async tick(state: CollectorState): Promise<void> {
    const { collector } = state;
    if (state.running) {
      state.skipped++;
      this.publishMeta(state);
      return;
    }
    state.running = true;
    const started = performance.now();
    try {
      const out = await collector.collect();
      const durationSeconds = (performance.now() - started) / 1000;
      this.succeed(state, out.samples, out.patch, durationSeconds);
    } catch (err) {
      const durationSeconds = (performance.now() - started) / 1000;
      this.fail(state, err, durationSeconds);
    } finally {
      state.running = false;
    }
  }

  private succeed(
    state: CollectorState,
    samples: Sample[],
    patch: SnapshotPatch,
    durationSeconds: number,
  ): void {
    const nowMs = this.now();
    state.lastSuccessSeconds = nowMs / 1000;
    state.status = {
      ok: true,
      lastSuccess: new Date(nowMs).toISOString(),
      durationSeconds,
    };
    state.patch = patch;
    if (state.failing !== undefined) {
      this.options.logger.info(
        { collector: state.collector.name, was: state.failing },
        "collector recovered",
      );
      state.failing = undefined;
    }
    this.options.store.set(state.collector.name, samples);
    this.publishMeta(state);
  }

  private fail(state: CollectorState, err: unknown, durationSeconds: number) {
    const failure =
      err instanceof CollectorFailure
        ? err
        : new CollectorFailure(
            typeof (err as NodeJS.ErrnoException)?.code === "string"
              ? "read_error"
              : "error",
            String((err as Error)?.message),
            { cause: err },
          );
    state.status = {
      ok: false,
      reason: failure.reason,
      error: failure.message,
      durationSeconds,
      ...(state.status.lastSuccess && {
        lastSuccess: state.status.lastSuccess,
      }),
    };
    state.patch = failure.patch;
    if (state.failing === undefined) {
      this.options.logger.warn(
        { collector: state.collector.name, reason: failure.reason, err },
        "collector failing",
      );
      state.failing = failure.reason;
    }
    this.options.store.set(state.collector.name, failure.samples);
    this.publishMeta(state);
  }

  private publishMeta(state: CollectorState): void {
    const name = state.collector.name;
    this.options.store.set(`meta:${name}`, metaSamples(state));
  }
}

/** The status series of one collector; they outlive its failures. */
function metaSamples(state: CollectorState): Sample[] {
  const collector = state.collector.name;
  const labels = { collector };
  const { status } = state;
  const pairs: [string, number | undefined][] = [
    ["farmwatch_scrape_collector_success", status.ok ? 1 : 0],
    ["farmwatch_collector_runs_skipped_total", state.skipped],
    ["farmwatch_external_call_timeouts_total", state.collector.calls.timeouts],
    ["farmwatch_external_calls_stuck", state.collector.calls.stuck],
    ["farmwatch_scrape_collector_duration_seconds", status.durationSeconds],
    [
      "farmwatch_collector_last_success_timestamp_seconds",
      state.lastSuccessSeconds,
    ],
  ];
  const samples: Sample[] = pairs
    .filter((p): p is [string, number] => p[1] !== undefined)
    .map(([name, value]) => ({ name, labels, value }));
  if (!status.ok && status.reason !== "starting") {
    samples.push({
      name: "farmwatch_scrape_collector_failure",
      labels: { collector, reason: status.reason ?? "error" },
      value: 1,
    });
  }
  return samples;
}
