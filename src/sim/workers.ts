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
