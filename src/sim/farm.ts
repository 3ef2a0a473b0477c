import type { TaskStatus, WorkerStatus } from "../shared/flamenco/types.js";
import type { SimClock } from "./clock.js";
import { FarmEvents } from "./farm-events.js";
import type { SimJob, SimTask, SimWorker } from "./model.js";
import { UNFINISHED_JOB_STATUSES } from "../shared/flamenco/types.js";
import { Random } from "./random.js";
import { jobEvent, taskEvent, workerEvent } from "./serialize.js";

/** How the simulated farm is made; see `docs/sim.md`. */
export interface FarmOptions {
  /** PRNG seed; the same seed and options give the same farm. */
  seed: number;
  /** Workers at start. */
  workers: number;
  /** Jobs at start, finished ones included. */
  jobs: number;
  /** How many of them are unfinished (queued or active); kept there. */
  unfinishedJobs: number;
  /** Frames of each generated job. */
  framesPerJob: number;
  /** Frames per task. */
  chunkSize: number;
  /** Mean render time of one frame, farm seconds. */
  frameSeconds: number;
  /** Share of task runs that fail (0-1). */
  failureRatio: number;
  /** Make the last worker a windows machine (path-mapping cases). */
  windowsWorker: boolean;
  /** Blender versions the workers use; one unless asked for more. */
  blenderVersions: string[];
  /** Submit a new job whenever fewer than `unfinishedJobs` remain. */
  keepBusy: boolean;
  /** Version the Manager reports, e.g. `3.8` or `3.5.1`. */
  managerVersion: string;
  /** Name the Manager reports. */
  managerName: string;
}

/** Flamenco Manager settings the simulator applies (its defaults). */
export const MANAGER_RULES = {
  workerTimeoutMs: 60_000,
  taskTimeoutMs: 600_000,
  blocklistThreshold: 3,
  taskFailAfterSoftFailCount: 3,
  jobFailTaskPercentage: 10,
} as const;

/**
 * The simulated farm: workers, jobs and tasks with indices, a PRNG and an
 * event stream. Behaviour lives in `scheduler.ts` and `state-machine.ts`;
 * this class holds state and records every change (timestamps, caches,
 * events) in one place.
 */
export class Farm {
  readonly events = new FarmEvents();
  workers = new Map<string, SimWorker>();
  jobs = new Map<string, SimJob>();
  tasks = new Map<string, SimTask>();
  random: Random;
  /** Farm time up to which the model has been simulated, Unix ms. */
  nowMs: number;
  /** Farm time of the next automatic job submission. */
  nextSubmitMs = 0;
  /** Workers created so far, for names and addresses. */
  addedWorkers = 0;
  /** Jobs submitted so far, for names. */
  submittedCount = 0;
  /** Jobs whose deletion was requested, deleted at the next step. */
  deleting = new Set<SimJob>();
  private unfinished: SimJob[] | undefined;

  constructor(
    readonly options: FarmOptions,
    readonly clock: SimClock,
  ) {
    this.random = new Random(options.seed);
    this.nowMs = clock.now();
  }

  /** Forgets everything: used before (re)building the seeded farm. */
  clear(): void {
    this.workers = new Map();
    this.jobs = new Map();
    this.tasks = new Map();
    this.random = new Random(this.options.seed);
    this.submittedCount = 0;
    this.addedWorkers = 0;
    this.nextSubmitMs = this.nowMs;
    this.unfinished = undefined;
    this.deleting = new Set();
  }

  /** Whether the simulated Manager is version `major.minor` or newer. */
  managerAtLeast(major: number, minor: number): boolean {
    const m = /^(\d+)\.(\d+)/.exec(this.options.managerVersion);
    if (!m) return true;
    const [a, b] = [Number(m[1]), Number(m[2])];
    return a > major || (a === major && b >= minor);
  }

  /**
   * `answer` as this Manager version shapes it: before 3.8 jobs, tasks
   * and their events had no `steps_completed`/`steps_total`. Changes
   * `answer` in place (and a worker's `task`); returns it.
   */
  shape<T extends object>(answer: T): T {
    if (this.managerAtLeast(3, 8)) return answer;
    const a = answer as Record<string, unknown>;
    delete a["steps_completed"];
    delete a["steps_total"];
    if (typeof a["task"] === "object" && a["task"] !== null) {
      this.shape(a["task"]);
    }
    return answer;
  }

  /** A worker by id or by name. */
  findWorker(idOrName: string): SimWorker | undefined {
    const byId = this.workers.get(idOrName);
    if (byId) return byId;
    for (const w of this.workers.values()) if (w.name === idOrName) return w;
    return undefined;
  }

  /** Jobs that are not completed, failed or canceled (cached). */
  unfinishedJobs(): SimJob[] {
    this.unfinished ??= [...this.jobs.values()].filter((j) =>
      UNFINISHED_JOB_STATUSES.includes(j.status),
    );
    return this.unfinished;
  }

  /** Call when a job was added, removed or changed status. */
  jobsChanged(): void {
    this.unfinished = undefined;
  }

  /** Number of the job's tasks in any of `statuses`. */
  countTasks(job: SimJob, ...statuses: TaskStatus[]): number {
    let n = 0;
    for (const t of job.tasks) if (statuses.includes(t.status)) n++;
    return n;
  }

  /** Records a change of the job (bumps `updated`) and announces it. */
  touchJob(
    job: SimJob,
    extra: { previous?: SimJob["status"]; refreshTasks?: boolean } = {},
  ): void {
    job.updatedMs = this.nowMs;
    job.json = undefined;
    if (extra.previous !== undefined) this.unfinished = undefined;
    const event = jobEvent(job, extra.previous, extra.refreshTasks);
    this.events.emit("job", this.shape(event));
  }

  /**
   * Records a change of the task: bumps the task's `updated` only, as the
   * Manager does; a job's `updated` moves with its own status and steps.
   * `announce` false: part of a mass update announced by the job.
   */
  touchTask(task: SimTask, previous?: TaskStatus, announce = true): void {
    task.updatedMs = this.nowMs;
    task.job.json = undefined;
    if (!announce) return;
    const worker = task.workerId ? this.workers.get(task.workerId) : undefined;
    this.events.emit("task", this.shape(taskEvent(task, worker, previous)));
  }

  /** Records a change of the worker and announces it. */
  touchWorker(worker: SimWorker, previous?: WorkerStatus): void {
    worker.updatedMs = this.nowMs;
    this.events.emit("worker", workerEvent(worker, previous));
  }

  /** Sets a worker's status, recording the change. */
  setWorkerStatus(worker: SimWorker, status: WorkerStatus): void {
    if (worker.status === status) return;
    const previous = worker.status;
    worker.status = status;
    this.touchWorker(worker, previous);
  }
}
