import type { FastifyInstance, FastifyReply } from "fastify";
import { JOB_STATUSES, type JobStatus } from "../shared/flamenco/types.js";
import { failFrames } from "./control-actions.js";
import { FAULT_MODES, type FaultSpec } from "./faults.js";
import { createJob } from "./jobs.js";
import type { SimWorker } from "./model.js";
import { jobToApi, workerSummaryToApi } from "./serialize.js";
import type { SimServer } from "./server.js";
import { simState } from "./state-dump.js";
import { addWorker, deleteWorker, signOff } from "./workers.js";

/**
 * Most farm time one advance may cover: the farm is stepped through it,
 * so an unbounded request would hold the process (and in the demo, every
 * part beside it) for as long as it runs.
 */
const MAX_ADVANCE_SECONDS = 3600;

type Body = Record<string, unknown>;
type WorkerAction = (w: SimWorker) => void;

function bad(reply: FastifyReply, code: number, error: string): FastifyReply {
  return reply.code(code).send({ error });
}

function body(raw: unknown): Body {
  return typeof raw === "object" && raw !== null ? (raw as Body) : {};
}

function optNumber(b: Body, key: string): number | undefined | "bad" {
  const v = b[key];
  if (v === undefined) return undefined;
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : "bad";
}

/**
 * The simulator's control API under `/sim/` (documented in docs/sim.md):
 * inject what goes wrong on real farms, move time, read the model.
 */
export function addControlRoutes(app: FastifyInstance, sim: SimServer): void {
  addWorkerControl(app, sim);
  addTaskControl(app, sim);
  addFailFramesControl(app, sim);
  addJobControl(app, sim);
  addFaultControl(app, sim);
  addFarmControl(app, sim);
}

function addWorkerControl(app: FastifyInstance, sim: SimServer): void {
  const farm = sim.farm;
  app.post("/sim/workers", async (req, reply) => {
    sim.sync();
    const b = body(req.body);
    const platform = b["platform"] ?? "linux";
    if (platform !== "linux" && platform !== "windows") {
      return bad(reply, 400, "platform: linux or windows");
    }
    const w = addWorker(farm, {
      name: typeof b["name"] === "string" ? b["name"] : undefined,
      platform,
    });
    return reply.send(workerSummaryToApi(w));
  });

  const workerActions: Record<string, WorkerAction> = {
    "stop-heartbeat": (w) => {
      w.behaviour = "silent";
    },
    resume: (w) => {
      w.behaviour = "normal";
      if (w.status === "offline") farm.setWorkerStatus(w, "starting");
    },
    "sign-off": (w) => signOff(farm, w),
    delete: (w) => deleteWorker(farm, w, "worker is being deleted"),
  };
  app.post<{ Params: { worker: string; action: string } }>(
    "/sim/workers/:worker/:action",
    async (req, reply) => {
      const action = workerActions[req.params.action];
      if (!action) return bad(reply, 404, "unknown worker action");
      sim.sync();
      const w = farm.findWorker(req.params.worker);
      if (!w) return bad(reply, 404, "no such worker");
      action(w);
      return reply.send(workerSummaryToApi(w));
    },
  );
}

function addTaskControl(app: FastifyInstance, sim: SimServer): void {
  const farm = sim.farm;
  app.post<{ Params: { id: string } }>(
    "/sim/tasks/:id/hang",
    async (req, reply) => {
      sim.sync();
      const task = farm.tasks.get(req.params.id);
      if (!task) return bad(reply, 404, "no such task");
      const w = task.workerId ? farm.workers.get(task.workerId) : undefined;
      if (task.status !== "active" || !w || w.taskId !== task.id) {
        return bad(reply, 409, "task is not being rendered");
      }
      const silent = body(req.body)["silent"] === true;
      w.behaviour = silent ? "hung-task-silent" : "hung-task";
      return reply.send({ task: task.id, worker: w.name, silent });
    },
  );
}

function addFailFramesControl(app: FastifyInstance, sim: SimServer): void {
  const farm = sim.farm;
  app.post<{ Params: { id: string } }>(
    "/sim/jobs/:id/fail-frames",
    async (req, reply) => {
      sim.sync();
      const job = farm.jobs.get(req.params.id);
      if (!job) return bad(reply, 404, "no such job");
      const b = body(req.body);
      const count = optNumber(b, "count");
      if (count === "bad") return bad(reply, 400, "count: number >= 0");
      const result = failFrames(farm, job, {
        count: count ?? 1,
        logTail: typeof b["logTail"] === "string" ? b["logTail"] : undefined,
        worker: typeof b["worker"] === "string" ? b["worker"] : undefined,
      });
      if (typeof result === "string") return bad(reply, 409, result);
      return reply.send({ failed: result });
    },
  );
}

function addJobControl(app: FastifyInstance, sim: SimServer): void {
  const farm = sim.farm;
  app.post("/sim/jobs", async (req, reply) => {
    sim.sync();
    const b = body(req.body);
    const status = b["status"];
    if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus)) {
      return bad(reply, 400, "status: a job status");
    }
    const frames = optNumber(b, "frames");
    const chunkSize = optNumber(b, "chunkSize");
    if (frames === "bad" || chunkSize === "bad") {
      return bad(reply, 400, "frames, chunkSize: numbers >= 1");
    }
    const job = createJob(farm, {
      name: typeof b["name"] === "string" ? b["name"] : undefined,
      type: typeof b["type"] === "string" ? b["type"] : undefined,
      status: status as JobStatus | undefined,
      frames,
      chunkSize,
    });
    farm.touchJob(job);
    return reply.send(jobToApi(job));
  });
}

function addFaultControl(app: FastifyInstance, sim: SimServer): void {
  app.post("/sim/faults", async (req, reply) => {
    const b = body(req.body);
    if (!FAULT_MODES.includes(b["mode"] as FaultSpec["mode"])) {
      return bad(reply, 400, `mode: one of ${FAULT_MODES.join(", ")}`);
    }
    const routes = b["routes"];
    if (
      routes !== undefined &&
      !(Array.isArray(routes) && routes.every((r) => typeof r === "string"))
    ) {
      return bad(reply, 400, "routes: list of path prefixes");
    }
    const spec: FaultSpec = { mode: b["mode"] as FaultSpec["mode"] };
    for (const key of [
      "retryAfterSeconds",
      "delaySeconds",
      "count",
      "durationSeconds",
    ] as const) {
      const v = optNumber(b, key);
      if (v === "bad") return bad(reply, 400, `${key}: number >= 0`);
      if (v !== undefined) spec[key] = v;
    }
    if (routes !== undefined) spec.routes = routes as string[];
    sim.setFault(spec);
    return reply.send({ fault: spec });
  });
}

function addFarmControl(app: FastifyInstance, sim: SimServer): void {
  const farm = sim.farm;
  app.post("/sim/advance", async (req, reply) => {
    const seconds = optNumber(body(req.body), "seconds");
    if (
      seconds === undefined ||
      seconds === "bad" ||
      seconds > MAX_ADVANCE_SECONDS
    ) {
      return bad(
        reply,
        400,
        `seconds: number from 0 to ${MAX_ADVANCE_SECONDS}`,
      );
    }
    sim.advance(seconds * 1000);
    return reply.send({ now: new Date(farm.nowMs).toISOString() });
  });

  app.get("/sim/stats", async (_req, reply) =>
    reply.send(sim.stats.snapshot()),
  );
  app.post("/sim/stats/reset", async (_req, reply) => {
    sim.stats.reset();
    return reply.send(sim.stats.snapshot());
  });
  app.post("/sim/reset", async (req, reply) => {
    const fresh = body(req.body)["fresh"] === true;
    sim.reset(fresh);
    return reply.send({ ok: true, fresh });
  });
  app.get<{ Querystring: { tasks?: string } }>(
    "/sim/state",
    async (req, reply) => {
      sim.sync();
      return reply.send(simState(sim, req.query.tasks !== "0"));
    },
  );
}
