import type { Farm } from "./farm.js";
import { onTaskFailed, workersLeftFor } from "./failures.js";
import { failureTail } from "./logs.js";
import type { SimJob, SimTask, SimWorker } from "./model.js";

/** Options of {@link failFrames}. */
export interface FailFramesOptions {
  /** How many tasks fail. */
  count: number;
  /** Log tail of the failures; default a believable Blender failure. */
  logTail: string | undefined;
  /** Worker (id or name) they fail on; default the one rendering them. */
  worker: string | undefined;
}

/** One failure made by {@link failFrames}. */
export interface FailedFrame {
  taskId: string;
  taskName: string;
  worker: string;
  status: SimTask["status"];
}

function workerFor(
  farm: Farm,
  task: SimTask,
  named: SimWorker | undefined,
): SimWorker | undefined {
  if (named) return named;
  const current = task.workerId ? farm.workers.get(task.workerId) : undefined;
  if (current && current.taskId === task.id) return current;
  return workersLeftFor(farm, task)[0];
}

/**
 * Fails `count` unfinished tasks of the job right now, active ones first,
 * as if their workers reported them failed; the Manager's failure rules
 * (soft-fail, blocklist, job failure) apply. Returns an error text when
 * nothing can fail.
 */
export function failFrames(
  farm: Farm,
  job: SimJob,
  options: FailFramesOptions,
): FailedFrame[] | string {
  const named = options.worker ? farm.findWorker(options.worker) : undefined;
  if (options.worker && !named) return "no such worker";
  const order = (t: SimTask): number => (t.status === "active" ? 0 : 1);
  const candidates = job.tasks
    .filter((t) => ["active", "queued", "soft-failed"].includes(t.status))
    .filter((t) => !named || !t.failedBy.includes(named.id))
    .sort((a, b) => order(a) - order(b) || a.indexInJob - b.indexInJob);
  const out: FailedFrame[] = [];
  for (const task of candidates) {
    if (out.length >= options.count) break;
    const worker = workerFor(farm, task, named);
    if (!worker) continue;
    const tail =
      options.logTail ?? failureTail(task, worker, farm.random, farm.nowMs);
    onTaskFailed(farm, worker, task, tail);
    out.push({
      taskId: task.id,
      taskName: task.name,
      worker: worker.name,
      status: task.status,
    });
  }
  if (out.length === 0 && options.count > 0) return "no task can fail";
  return out;
}
