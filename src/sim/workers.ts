import { createWorker } from "./build.js";
import type { Farm } from "./farm.js";
import type { SimWorker } from "./model.js";
import { workerEvent } from "./serialize.js";
import { requeueActiveTasksOfWorker } from "./state-machine.js";

/**
 * Removes a worker as `DELETE /worker-mgt/workers/{id}` does: its active
 * task is requeued first; tasks keep its id (shown without name).
 */
export function deleteWorker(
  farm: Farm,
  worker: SimWorker,
  reason: string,
): void {
  requeueActiveTasksOfWorker(farm, worker, reason);
  farm.workers.delete(worker.id);
  worker.updatedMs = farm.nowMs;
  farm.events.emit("worker", workerEvent(worker, undefined, farm.nowMs));
}

/** The worker signs off: offline, its active task requeued. */
export function signOff(farm: Farm, worker: SimWorker): void {
  requeueActiveTasksOfWorker(farm, worker, "worker signed off");
  worker.statusChange = undefined;
  farm.setWorkerStatus(worker, "offline");
}

/**
 * Adds a worker as if a new machine registered: next free number and
 * loopback address; `name` may repeat an existing one (duplicate names
 * happen on real farms).
 */
export function addWorker(
  farm: Farm,
  spec: { name: string | undefined; platform: "linux" | "windows" },
): SimWorker {
  const worker = createWorker(farm, farm.addedWorkers++);
  if (spec.name !== undefined) worker.name = spec.name;
  worker.platform = spec.platform;
  worker.canRestart = spec.platform !== "windows";
  farm.touchWorker(worker);
  return worker;
}
