import { Registry } from "prom-client";
import type { Config } from "../shared/config/schema.js";
import { FarmwatchError, FlamencoApiError } from "../shared/errors.js";
import {
  FlamencoClient,
  type ValidationIssue,
} from "../shared/flamenco/client.js";
import type { Logger } from "../shared/logger.js";
import type { FarmView } from "../shared/views.js";
import { nextDelayMs, PollLoop } from "./loop.js";
import { createEventMetrics, type EventMetrics } from "./metrics-api.js";
import { registerFarmMetrics } from "./metrics-farm.js";
import { FarmPoller, type PollClock } from "./poll.js";
import type { FarmState } from "./state.js";
import { farmView, type PollStatus } from "./view.js";

/** What an {@link Exporter} is built from. */
export interface ExporterOptions {
  config: Config;
  managerUrl: string;
  logger: Logger;
  registry: Registry;
  /** Default: the real clocks. */
  clock?: PollClock;
  /** Default: Math.random. */
  random?: () => number;
}

const REAL_CLOCK: PollClock = {
  now: () => Date.now(),
  mono: () => performance.now(),
};

/**
 * The exporter's core: polls the Manager on its schedule, keeps the last
 * good state and swaps each new one in whole, and answers metrics and the
 * farm view from it.
 */
export class Exporter {
  readonly client: FlamencoClient;
  private readonly poller: FarmPoller;
  private readonly events: EventMetrics;
  private readonly loop: PollLoop;
  private readonly clock: PollClock;
  private readonly log: Logger;
  private current: FarmState | undefined;
  /** The state being rendered into {@link stateText}, during a swap. */
  private rendering: FarmState | undefined;
  private readonly stateRegistry = new Registry();
  /** Exposition of the state series of {@link current}. */
  private stateText = "";
  private status: PollStatus = { up: false, stale: true };
  private failures = 0;
  private lastError: unknown;
  private readonly issuesLogged = new Set<string>();

  constructor(private readonly opts: ExporterOptions) {
    const { config } = opts;
    this.clock = opts.clock ?? REAL_CLOCK;
    this.log = opts.logger.child({ component: "exporter" });
    this.events = createEventMetrics(opts.registry);
    this.client = new FlamencoClient({
      baseUrl: opts.managerUrl,
      timeoutSeconds: config.manager.requestTimeoutSeconds,
      maxConcurrentRequests: config.exporter.maxConcurrentRequests,
      onRequest: (r) => this.events.request(r),
      onIssues: (endpoint, issues) => this.noteIssues(endpoint, issues),
    });
    this.poller = new FarmPoller(this.client, config.exporter, this.clock);
    registerFarmMetrics(opts.registry, this.stateRegistry, {
      state: () => this.rendering ?? this.current,
      current: () => this.current,
      collectors: () => this.poller.lastCollectors,
      status: () => this.status,
      now: () => this.clock.now(),
    });
    // KNOWN: polling only, no Socket.IO events: a change shows within one
    // poll interval instead of about a second. The Manager speaks Socket.IO
    // v2 (Engine.IO 3), which no maintained client supports; a small
    // Engine.IO 3 client over undici's WebSocket calling loop.trigger()
    // would fix it (docs/exporter.md, "Events").
    const random = opts.random ?? Math.random;
    this.loop = new PollLoop(
      () => this.pollOnce(),
      () =>
        nextDelayMs({
          intervalSeconds: config.exporter.pollIntervalSeconds,
          backoffMaxSeconds: config.exporter.backoffMaxSeconds,
          failures: this.failures,
          error: this.lastError,
          random: random(),
        }),
      () => this.events.skipped(),
    );
  }

  /** Starts polling (the first poll at once). */
  start(): void {
    this.loop.start();
  }

  /** Stops polling and closes the connection pool. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.client.close();
  }

  /** The whole exposition for `/metrics`. */
  async metrics(): Promise<string> {
    return (await this.opts.registry.metrics()) + this.stateText;
  }

  /** Health for `/healthz`. */
  health(): { ok: boolean; up: boolean; stale: boolean } {
    const { up, stale } = this.status;
    return { ok: up && !stale, up, stale };
  }

  /** The farm view for `/api/v1/farm`. */
  view(): FarmView {
    const { config } = this.opts;
    return farmView(
      this.current,
      this.status,
      this.opts.managerUrl,
      config.exporter,
      this.clock.now(),
    );
  }

  /** Polls once; never throws (the loop depends on it). */
  async pollOnce(): Promise<void> {
    try {
      const result = await this.poller.poll();
      this.rendering = result.state;
      const text = await this.stateRegistry.metrics().finally(() => {
        this.rendering = undefined;
      });
      // Swapped in one synchronous step: a scrape sees the old or the new.
      this.current = result.state;
      this.stateText = text;
      this.events.transitions(result.transitions);
      this.status = { up: true, stale: false };
      if (this.failures > 0) {
        this.log.info({ failures: this.failures }, "manager poll recovered");
      }
      this.failures = 0;
      this.lastError = undefined;
    } catch (err) {
      this.noteFailure(err);
    }
  }

  private noteFailure(err: unknown): void {
    const busy = err instanceof FlamencoApiError && err.status === 503;
    const code =
      err instanceof FarmwatchError ? err.code : "FW_EXPORTER_INTERNAL";
    const message = err instanceof Error ? err.message : String(err);
    if (!busy) this.poller.forgetVersion();
    this.status = { up: busy, stale: true, lastError: { code, message } };
    if (this.failures === 0) {
      this.log.warn({ err, code }, "manager poll failing");
    }
    this.failures += 1;
    this.lastError = err;
  }

  private noteIssues(
    endpoint: string,
    issues: readonly ValidationIssue[],
  ): void {
    this.events.issues(endpoint, issues);
    for (const issue of issues) {
      const key = `${endpoint} ${issue.kind}`;
      if (this.issuesLogged.has(key)) continue;
      this.issuesLogged.add(key);
      this.log.warn(
        { endpoint, kind: issue.kind, path: issue.path, detail: issue.detail },
        "manager answer does not match the API spec",
      );
    }
  }
}
