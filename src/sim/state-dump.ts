import type { SimServer } from "./server.js";

/**
 * The whole model as plain JSON for tests (`GET /sim/state`): internal
 * fields, farm-clock milliseconds, tasks with their job's id; without
 * tasks when `withTasks` is false (`?tasks=0`, for big farms).
 */
export function simState(
  sim: SimServer,
  withTasks: boolean,
): Record<string, unknown> {
  const farm = sim.farm;
  return {
    nowMs: farm.nowMs,
    options: farm.options,
    fault: sim.faults.current(),
    workers: [...farm.workers.values()],
    jobs: [...farm.jobs.values()].map((job) => ({
      ...job,
      json: undefined,
      tasks: withTasks ? job.tasks.map((t) => ({ ...t, job: job.id })) : [],
    })),
  };
}
