import type { FaultFarm } from "./farm.js";
import { waitFor } from "./http.js";

/** A simulated worker as `GET /sim/state` shows it. */
export interface SimWorkerState {
  id: string;
  name: string;
  status: string;
  taskId?: string;
  behaviour: string;
}

/** A simulated job as `GET /sim/state` shows it. */
export interface SimJobState {
  id: string;
  name: string;
  status: string;
}

/** The simulator's model, the parts the suite reads. */
export interface SimState {
  workers: SimWorkerState[];
  jobs: SimJobState[];
}

/** Reads the simulator's model; throws when it does not answer. */
export async function simState(farm: FaultFarm): Promise<SimState> {
  const got = await farm.call("sim", "/sim/state");
  if (got.status !== 200) {
    throw new Error(`GET /sim/state: ${got.status} ${got.text.slice(0, 200)}`);
  }
  return got.json as SimState;
}

/** Sends a control request to the simulator; throws unless it is 200. */
export async function simControl(
  farm: FaultFarm,
  route: string,
  body: unknown = {},
): Promise<unknown> {
  const got = await farm.call("sim", route, body);
  if (got.status !== 200) {
    throw new Error(`POST ${route}: ${got.status} ${got.text.slice(0, 200)}`);
  }
  return got.json;
}

/** Waits until the worker named `name` renders a task; returns its id. */
export async function activeTaskOf(
  farm: FaultFarm,
  name: string,
): Promise<string> {
  const task = await waitFor(async () => {
    const w = (await simState(farm)).workers.find((x) => x.name === name);
    return w?.status === "awake" && w.taskId ? w.taskId : undefined;
  }, 15_000);
  if (task === undefined) throw new Error(`${name} never took a task`);
  return task;
}

/** The first job waiting in the queue, not rendered yet. */
export async function queuedJob(farm: FaultFarm): Promise<SimJobState> {
  const job = await waitFor(
    async () => (await simState(farm)).jobs.find((j) => j.status === "queued"),
    15_000,
  );
  if (job === undefined) throw new Error("no queued job in the simulator");
  return job;
}

/**
 * Hangs the task the worker `name` renders. Retried a few times: at farm
 * speed a task may finish between reading it and hanging it.
 */
export async function hangTaskOf(farm: FaultFarm, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const task = await activeTaskOf(farm, name);
    const got = await farm.call("sim", `/sim/tasks/${task}/hang`, {});
    if (got.status === 200) return;
    if (attempt >= 5) {
      throw new Error(`hang a task of ${name}: ${got.status} ${got.text}`);
    }
  }
}
