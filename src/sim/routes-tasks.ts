import type { FastifyInstance } from "fastify";
import type {
  TaskStatusChange,
  WorkerStatusChangeRequest,
} from "../shared/flamenco/types.js";
import {
  apiError,
  checkBody,
  JSON_TYPE,
  sendJson,
  TEXT_TYPE,
} from "./api-support.js";
import type { Farm } from "./farm.js";
import { progressTail } from "./logs.js";
import type { SimTask, SimWorker } from "./model.js";
import { isUuid } from "./random.js";
import { taskToApi, workerSummaryToApi, workerToApi } from "./serialize.js";
import { deleteWorker } from "./workers.js";
import { taskStatusChange } from "./state-machine.js";

type TaskParams = { Params: { task_id: string } };
type WorkerParams = { Params: { worker_id: string } };

/** The log tail of a task; "" when it has none (never ran). */
function logTailOf(farm: Farm, task: SimTask): string {
  if (task.logTail !== "") return task.logTail;
  if (task.status !== "completed" || !task.workerId) return "";
  // Tasks of the seeded history get their tail made on demand.
  const worker = farm.workers.get(task.workerId);
  if (!worker) return "";
  return progressTail(task, worker, task.frameEnd, task.updatedMs);
}

/** Task routes of the Manager API v3. */
export function addTaskRoutes(app: FastifyInstance, farm: Farm): void {
  addTaskReadRoutes(app, farm);
  addTaskStatusRoute(app, farm);
}

function addTaskReadRoutes(app: FastifyInstance, farm: Farm): void {
  const lookup = (id: string) => farm.workers.get(id);

  app.get<TaskParams>("/api/v3/tasks/:task_id", async (req, reply) => {
    // "job ID not valid" is the Manager's own wording here.
    if (!isUuid(req.params.task_id)) {
      return apiError(reply, 400, "job ID not valid");
    }
    const task = farm.tasks.get(req.params.task_id);
    if (!task) return apiError(reply, 404, "no such task");
    return reply.type(JSON_TYPE).send(farm.shape(taskToApi(task, lookup)));
  });

  app.get<TaskParams>("/api/v3/tasks/:task_id/logtail", async (req, reply) => {
    if (!isUuid(req.params.task_id)) {
      return apiError(reply, 400, "bad task ID");
    }
    const task = farm.tasks.get(req.params.task_id);
    if (!task) return apiError(reply, 404, "no such task");
    const tail = logTailOf(farm, task);
    if (tail === "") return reply.code(204).send();
    return reply.code(200).type(TEXT_TYPE).send(tail);
  });
}

function addTaskStatusRoute(app: FastifyInstance, farm: Farm): void {
  app.post<TaskParams>(
    "/api/v3/tasks/:task_id/setstatus",
    async (req, reply) => {
      const change = checkBody<TaskStatusChange>(
        reply,
        "TaskStatusChange",
        req.body,
      );
      if (!change) return reply;
      const task = farm.tasks.get(req.params.task_id);
      if (!task) return apiError(reply, 404, "no such task");
      task.activity = change.reason;
      taskStatusChange(farm, task, change.status);
      // Only a requeue from outside clears the failure list.
      if (change.status === "queued") task.failedBy = [];
      return reply.code(204).send();
    },
  );
}

/** A worker by path id, or the Manager's error answer for it. */
function findWorker(farm: Farm, id: string): SimWorker | [number, string] {
  if (!isUuid(id)) return [400, "not a valid UUID"];
  return farm.workers.get(id) ?? [404, `worker "${id}" not found`];
}

/** Worker management routes of the Manager API v3. */
export function addWorkerRoutes(app: FastifyInstance, farm: Farm): void {
  addWorkerReadRoutes(app, farm);
  addWorkerChangeRoutes(app, farm);
}

function addWorkerReadRoutes(app: FastifyInstance, farm: Farm): void {
  app.get("/api/v3/worker-mgt/workers", async (_req, reply) => {
    const workers = [...farm.workers.values()].map(workerSummaryToApi);
    return sendJson(reply, JSON.stringify({ workers }));
  });

  app.get<WorkerParams>(
    "/api/v3/worker-mgt/workers/:worker_id",
    async (req, reply) => {
      const w = findWorker(farm, req.params.worker_id);
      if (Array.isArray(w)) return apiError(reply, ...w);
      const taskId = w.taskId ?? w.lastTaskId;
      const task = taskId ? farm.tasks.get(taskId) : undefined;
      return reply.type(JSON_TYPE).send(farm.shape(workerToApi(w, task)));
    },
  );
}

function addWorkerChangeRoutes(app: FastifyInstance, farm: Farm): void {
  app.delete<WorkerParams>(
    "/api/v3/worker-mgt/workers/:worker_id",
    async (req, reply) => {
      const w = findWorker(farm, req.params.worker_id);
      if (Array.isArray(w)) return apiError(reply, ...w);
      deleteWorker(farm, w, "worker is being deleted");
      return reply.code(204).send();
    },
  );

  app.post<WorkerParams>(
    "/api/v3/worker-mgt/workers/:worker_id/setstatus",
    async (req, reply) => {
      const change = checkBody<WorkerStatusChangeRequest>(
        reply,
        "WorkerStatusChangeRequest",
        req.body,
      );
      if (!change) return reply;
      const w = findWorker(farm, req.params.worker_id);
      if (Array.isArray(w)) return apiError(reply, ...w);
      w.statusChange = { status: change.status, is_lazy: change.is_lazy };
      farm.touchWorker(w);
      return reply.code(204).send();
    },
  );
}
