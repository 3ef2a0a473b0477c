import type { FarmStatus } from "../shared/flamenco/types.js";
import type { Farm } from "./farm.js";

/**
 * The farm status the Manager reports (internal/manager/farmstatus):
 * inoperative without usable workers, active when a job is active and a
 * worker awake, waiting when work waits, asleep or idle otherwise.
 */
export function farmStatus(farm: Farm): FarmStatus {
  const workers = [...farm.workers.values()];
  const usable = workers.filter(
    (w) => w.status !== "offline" && w.status !== "error",
  );
  if (usable.length === 0) return "inoperative";
  const jobs = farm.unfinishedJobs();
  const anyActive = jobs.some((j) => j.status === "active");
  const anyQueued = jobs.some((j) => j.status === "queued");
  const anyAwake = workers.some((w) => w.status === "awake");
  const anyAsleep = workers.some((w) => w.status === "asleep");
  if (anyActive && anyAwake) return "active";
  if (anyActive || anyQueued) return "waiting";
  if (!anyAwake && anyAsleep) return "asleep";
  return "idle";
}
