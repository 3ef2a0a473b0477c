import type { Farm } from "./farm.js";
import { createJob } from "./jobs.js";
import type { SimJob, SimWorker } from "./model.js";

const DAY_MS = 86_400_000;

/**
 * The worker `index` (0-based) of the farm: `render-NN` at 127.0.0.2 and
 * up (127.0.1.2 after 250 workers): loopback only.
 */
export function createWorker(farm: Farm, index: number): SimWorker {
  const r = farm.random;
  const opts = farm.options;
  const windows = opts.windowsWorker && index === opts.workers - 1;
  const versions = opts.blenderVersions;
  const worker: SimWorker = {
    id: r.uuid(),
    name: `render-${String(index + 1).padStart(2, "0")}`,
    // Loopback only: agents are derived from worker addresses.
    address: `127.0.${Math.floor(index / 250)}.${(index % 250) + 2}`,
    platform: windows ? "windows" : "linux",
    // Workers run the Manager's version, as farms upgrade them together.
    version: opts.managerVersion,
    blenderVersion: versions[index % versions.length] ?? "4.2.3",
    status: "awake",
    statusChange: undefined,
    lastSeenMs: farm.nowMs,
    updatedMs: farm.nowMs,
    canRestart: !windows,
    supportedTaskTypes: ["blender", "ffmpeg", "file-management", "misc"],
    taskId: undefined,
    lastTaskId: undefined,
    frameProgressMs: 0,
    // Machines differ: 0.7x to 1.5x the mean frame time.
    frameMs: Math.round(opts.frameSeconds * 1000 * (0.7 + r.next() * 0.8)),
    behaviour: "normal",
  };
  farm.workers.set(worker.id, worker);
  return worker;
}

/** Marks a generated job as rendered long ago, by random workers. */
function finishInThePast(
  farm: Farm,
  job: SimJob,
  workers: SimWorker[],
  ageMs: number,
): void {
  const r = farm.random;
  const endMs = farm.nowMs - ageMs;
  const failed = r.chance(0.03);
  job.createdMs = endMs - 3_600_000;
  job.updatedMs = endMs;
  job.status = failed ? "failed" : "completed";
  job.activity = failed
    ? 'Changed to status "failed": too many tasks failed'
    : 'Changed to status "completed": all tasks completed';
  for (const t of job.tasks) {
    const w = workers.length > 0 ? r.pick(workers) : undefined;
    t.createdMs = job.createdMs;
    t.updatedMs = endMs;
    t.lastTouchedMs = w ? endMs : undefined;
    t.workerId = w?.id;
    t.status = failed && t.indexInJob === 0 ? "failed" : "completed";
    if (failed && t.status === "completed") t.status = "canceled";
    t.stepsCompleted = t.status === "completed" ? t.stepsTotal : 0;
    t.activity = t.status === "completed" ? "Task completed" : "Task failed";
  }
}

/**
 * Builds the seeded farm in `farm`: `workers` workers, `jobs` jobs of
 * which the newest `unfinishedJobs` are queued (the scheduler starts them),
 * the rest finished over the past days.
 */
export function buildFarm(farm: Farm): void {
  farm.clear();
  const opts = farm.options;
  const workers: SimWorker[] = [];
  for (let i = 0; i < opts.workers; i++) {
    workers.push(createWorker(farm, farm.addedWorkers++));
  }
  const unfinished = Math.min(opts.jobs, opts.unfinishedJobs);
  const finished = opts.jobs - unfinished;
  for (let i = 0; i < opts.jobs; i++) {
    const job = createJob(farm, {});
    if (i < finished) {
      finishInThePast(
        farm,
        job,
        workers,
        ((finished - i) * 7 * DAY_MS) / Math.max(finished, 1) + 60_000,
      );
    }
  }
}
