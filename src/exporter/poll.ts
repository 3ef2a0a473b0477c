import type { Config } from "../shared/config/schema.js";
import type { ApiAnswer, FlamencoClient } from "../shared/flamenco/client.js";
import type {
  FlamencoVersion,
  Job,
  WorkerSummary,
} from "../shared/flamenco/types.js";
import type { FailedTaskView } from "../shared/views.js";
import { buildState, countTransitions } from "./build-state.js";
import {
  confirmInferred,
  describeFailures,
  isFailure,
} from "./failures-step.js";
import { refreshJobs, type JobTransition } from "./jobs-step.js";
import type {
  CollectorResult,
  FarmState,
  JobMemo,
  WorkerMemo,
} from "./state.js";
import { isUnfinished } from "./state.js";
import {
  noteWorkers,
  refreshWorkerDetails,
  type VanishedWorkers,
} from "./workers-step.js";

/** What one successful poll yields: the new state and what happened. */
export interface PollResult {
  state: FarmState;
  /** Task transitions, applied to counters when the state is swapped in. */
  transitions: JobTransition[];
}

/** Clocks the poller reads; fakes in tests. */
export interface PollClock {
  /** Local wall time, ms. */
  now(): number;
  /** Local monotonic time, ms. */
  mono(): number;
}

type ExporterConfig = Config["exporter"];

/**
 * One poll of the Manager, and the memory between polls that keeps it
 * cheap. `poll()` throws when the job or worker list cannot be read; the
 * caller keeps serving the previous state then.
 */
export class FarmPoller {
  private readonly jobs = new Map<string, JobMemo>();
  private readonly workers = new Map<string, WorkerMemo>();
  private failed: FailedTaskView[] = [];
  private version: FlamencoVersion | undefined;
  private vanished: VanishedWorkers | undefined;
  private collectors: Record<string, CollectorResult> = {};

  constructor(
    private readonly client: FlamencoClient,
    private readonly cfg: ExporterConfig,
    private readonly clock: PollClock,
  ) {}

  /** Forgets the version, so that the next poll reads it again. */
  forgetVersion(): void {
    this.version = undefined;
  }

  /**
   * How each data source did in the last poll, failed ones included; a
   * source the poll did not reach is absent.
   */
  get lastCollectors(): Readonly<Record<string, CollectorResult>> {
    return this.collectors;
  }

  /** Polls once; see the class comment. */
  async poll(): Promise<PollResult> {
    const collectors: Record<string, CollectorResult> = {};
    try {
      return await this.pollInto(collectors);
    } finally {
      this.collectors = collectors;
    }
  }

  private async pollInto(
    collectors: Record<string, CollectorResult>,
  ): Promise<PollResult> {
    const started = this.clock.mono();
    if (!this.version) {
      const v = await this.timed(collectors, "version", () =>
        this.client.getVersion(),
      );
      this.version = v.body;
    }
    const [status, jobs, workers] = await Promise.allSettled([
      this.timed(collectors, "status", () => this.readStatus()),
      this.timed(collectors, "jobs", () => this.client.listJobs()),
      this.timed(collectors, "workers", () => this.client.listWorkers()),
    ]);
    if (jobs.status === "rejected") throw jobs.reason;
    if (workers.status === "rejected") throw workers.reason;

    const serverNowMs = managerNow(workers.value, this.clock.now());
    this.noteWorkerList(workers.value.body);
    const transitions = await this.readDetails(
      collectors,
      jobs.value.body,
      serverNowMs,
    );

    const state = buildState({
      cfg: this.cfg,
      serverNowMs,
      polledAtMs: this.clock.now(),
      pollDurationSeconds: (this.clock.mono() - started) / 1000,
      version: this.version,
      farmStatus:
        status.status === "fulfilled" ? status.value.body?.status : undefined,
      jobs: this.jobs,
      workers: this.workers,
      transitions,
      failed: this.failed,
      vanished: this.vanished,
    });
    return { state, transitions };
  }

  /** The farm status; Managers before 3.5 have none (undefined). */
  private async readStatus(): Promise<{
    body: { status: string } | undefined;
  }> {
    if (this.version && !versionAtLeast(this.version.shortversion, 3, 5)) {
      return { body: undefined };
    }
    return this.client.getStatus();
  }

  /** A vanishing is reported until workers are listed again. */
  private noteWorkerList(workers: WorkerSummary[]): void {
    const vanished = noteWorkers(this.workers, workers);
    if (vanished) this.vanished = vanished;
    else if (this.workers.size > 0) this.vanished = undefined;
  }

  /** Tasks, worker details, failures and blocklists: the optional reads. */
  private async readDetails(
    collectors: Record<string, CollectorResult>,
    jobs: Job[],
    serverNowMs: number,
  ): Promise<JobTransition[]> {
    const monoNowMs = this.clock.mono();
    const step = { client: this.client, monoNowMs };
    let transitions: JobTransition[] = [];
    await this.softStep(collectors, "tasks", async () => {
      const r = await refreshJobs(this.jobs, jobs, {
        ...step,
        serverNowMs,
        taskRefreshSeconds: this.cfg.taskRefreshSeconds,
      });
      transitions = r.transitions;
      return r;
    });
    await this.softStep(collectors, "task_moves", async () => {
      const r = await confirmInferred(transitions, this.client);
      transitions = r.transitions;
      return r;
    });
    countTransitions(this.workers, transitions);
    await this.softStep(collectors, "worker_details", () =>
      refreshWorkerDetails(this.workers, {
        ...step,
        workerDetailRefreshSeconds: this.cfg.workerDetailRefreshSeconds,
        maxRoutineRefreshes: this.cfg.maxConcurrentRequests,
      }),
    );
    const failures = transitions.filter(isFailure);
    await this.softStep(collectors, "failures", async () => {
      const d = await describeFailures(failures, {
        ...step,
        workers: this.workers,
        serverNowMs,
        logTailLines: this.cfg.logTailLines,
      });
      this.keepFailed(d.views, serverNowMs);
      return d;
    });
    await this.softStep(collectors, "blocklists", () => this.readBlocklists());
    return transitions;
  }

  private async timed<T>(
    collectors: Record<string, CollectorResult>,
    name: string,
    f: () => Promise<T>,
  ): Promise<T> {
    const started = this.clock.mono();
    const done = (ok: boolean) => {
      const durationSeconds = (this.clock.mono() - started) / 1000;
      collectors[name] = { ok, durationSeconds };
    };
    try {
      const value = await f();
      done(true);
      return value;
    } catch (err) {
      done(false);
      throw err;
    }
  }

  private async softStep(
    collectors: Record<string, CollectorResult>,
    name: string,
    f: () => Promise<{ ok: boolean }>,
  ): Promise<void> {
    const started = this.clock.mono();
    let ok = false;
    try {
      ok = (await f()).ok;
    } catch {
      // The step's own reads report their errors to the request metrics;
      // the collector gauge below carries the failure.
      ok = false;
    }
    collectors[name] = {
      ok,
      durationSeconds: (this.clock.mono() - started) / 1000,
    };
  }

  private keepFailed(fresh: FailedTaskView[], serverNowMs: number): void {
    const oldest = serverNowMs - this.cfg.failedTaskRetentionSeconds * 1000;
    this.failed = [...fresh, ...this.failed]
      .filter((f) => Date.parse(f.failedAt) >= oldest)
      .slice(0, this.cfg.maxFailedTasks);
  }

  /**
   * Blocklists of unfinished jobs with failed tasks or with queued work
   * and nothing active, re-read only when the job changed.
   */
  private async readBlocklists(): Promise<{ ok: boolean }> {
    const wanted = [...this.jobs.values()].filter((m) => {
      if (!isUnfinished(m.job.status) || !m.taskCounts) return false;
      if (m.blocklistForUpdated === m.job.updated) return false;
      const c = m.taskCounts;
      const failing = (c["failed"] ?? 0) + (c["soft-failed"] ?? 0) > 0;
      const idle = (c["queued"] ?? 0) > 0 && !(c["active"] ?? 0);
      return failing || idle;
    });
    const results = await Promise.allSettled(
      wanted.map(async (m) => {
        const answer = await this.client.getJobBlocklist(m.job.id);
        m.blocklist = answer.body;
        m.blocklistForUpdated = m.job.updated;
      }),
    );
    return { ok: results.every((r) => r.status === "fulfilled") };
  }
}

/** The Manager's time from its Date header, else the local time. */
function managerNow(answer: ApiAnswer<unknown>, localMs: number): number {
  const ms = answer.serverDate?.getTime();
  return ms === undefined || Number.isNaN(ms) ? localMs : ms;
}

/** Whether a short version like `3.5.1` is at least `major.minor`. */
function versionAtLeast(version: string, major: number, minor: number) {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return true;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}
