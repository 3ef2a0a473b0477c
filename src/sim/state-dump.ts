import type { SimServer } from "./server.js";

/**
 * The whole model as plain JSON for tests (`GET /sim/state`): internal
 * fields, farm-clock milliseconds, tasks with their job's id.
 */
export function simState(sim: SimServer): Record<string, unknown> {
  const farm = sim.farm;
  return {
    nowMs: farm.nowMs,
    options: farm.options,
    fault: sim.faults.current(),
    workers: [...farm.workers.values()],
    jobs: [...farm.jobs.values()].map((job) => ({
      ...job,
      json: undefined,
      tasks: job.tasks.map((t) => ({ ...t, job: job.id })),
    })),
  };
}
