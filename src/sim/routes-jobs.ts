import type { FastifyInstance } from "fastify";
import type {
  Job,
  JobStatusChange,
  JobsQuery,
} from "../shared/flamenco/types.js";
import {
  apiError,
  checkBody,
  JSON_TYPE,
  sendJson,
  validatorError,
} from "./api-support.js";
import type { Farm } from "./farm.js";
import { farmStatus } from "./farm-status.js";
import type { SimJob } from "./model.js";
import { isUuid } from "./random.js";
import { jobJson, taskSummaryToApi } from "./serialize.js";
import { jobStatusChange } from "./state-machine.js";

/**
 * Whether the Manager version predates 3.6, where `GET /api/v3/jobs`
 * replaced `POST /api/v3/jobs/query`.
 */
export function isOldManager(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  return Number(m[1]) < 3 || (Number(m[1]) === 3 && Number(m[2]) < 6);
}

/** Paths of the Manager API the simulator knows, any method. */
const KNOWN_PATH =
  /^\/api\/v3\/(jobs|tasks|worker-mgt\/workers)(\/[^/]+)?(\/[a-z-]+)?$/;

type IdParams = { Params: { job_id: string } };

function jobsJson(farm: Farm, jobs: Iterable<SimJob>): string {
  const parts: string[] = [];
  const shape = (j: Job): Job => farm.shape(j);
  for (const job of jobs) parts.push(jobJson(job, shape));
  return `{"jobs":[${parts.join(",")}]}`;
}

// KNOWN: `order_by`, `metadata` and `settings` of the query are ignored
// (jobs come in creation order); farmwatch only lists by status; filter
// and sort here if a client needs them.
function queryJobs(farm: Farm, query: JobsQuery): SimJob[] {
  let jobs = [...farm.jobs.values()];
  const statuses = query.status_in;
  if (statuses) jobs = jobs.filter((j) => statuses.includes(j.status));
  const offset = query.offset ?? 0;
  const end = query.limit === undefined ? undefined : offset + query.limit;
  return jobs.slice(offset, end);
}

/** Meta and job routes of the Manager API v3, and its 404 answers. */
export function addJobRoutes(app: FastifyInstance, farm: Farm): void {
  addMetaRoutes(app, farm);
  addJobListRoute(app, farm);
  addJobDetailRoutes(app, farm);
  addJobStatusRoute(app, farm);
  addNotFound(app);
}

/** A job by path id, or the Manager's error answer for it. */
function findJob(farm: Farm, id: string): SimJob | [number, string] {
  if (!isUuid(id)) return [400, "job ID not valid"];
  return farm.jobs.get(id) ?? [404, "no such job"];
}

function addMetaRoutes(app: FastifyInstance, farm: Farm): void {
  const opts = farm.options;
  app.get("/api/v3/version", async (_req, reply) =>
    reply.type(JSON_TYPE).send({
      version: opts.managerVersion,
      shortversion: opts.managerVersion,
      name: opts.managerName,
      git: `v${opts.managerVersion}`,
    }),
  );
  // The farm status service came with 3.5.
  if (!farm.managerAtLeast(3, 5)) return;
  app.get("/api/v3/status", async (_req, reply) =>
    reply.type(JSON_TYPE).send({ status: farmStatus(farm) }),
  );
}

function addJobListRoute(app: FastifyInstance, farm: Farm): void {
  if (isOldManager(farm.options.managerVersion)) {
    app.post("/api/v3/jobs/query", async (req, reply) => {
      const query = checkBody<JobsQuery>(reply, "JobsQuery", req.body);
      if (!query) return reply;
      return sendJson(reply, jobsJson(farm, queryJobs(farm, query)));
    });
  } else {
    app.get("/api/v3/jobs", async (_req, reply) =>
      sendJson(reply, jobsJson(farm, farm.jobs.values())),
    );
  }
}

function addJobDetailRoutes(app: FastifyInstance, farm: Farm): void {
  app.get<IdParams>("/api/v3/jobs/:job_id", async (req, reply) => {
    const job = findJob(farm, req.params.job_id);
    if (Array.isArray(job)) return apiError(reply, ...job);
    return sendJson(
      reply,
      jobJson(job, (j) => farm.shape(j)),
    );
  });

  app.get<IdParams>("/api/v3/jobs/:job_id/tasks", async (req, reply) => {
    if (!isUuid(req.params.job_id)) {
      return apiError(reply, 400, "job ID not valid");
    }
    // Like the Manager: an unknown job simply has no tasks.
    const job = farm.jobs.get(req.params.job_id);
    const tasks = (job?.tasks ?? []).map((t) =>
      farm.shape(
        taskSummaryToApi(
          t,
          t.workerId ? farm.workers.get(t.workerId) : undefined,
        ),
      ),
    );
    return reply.type(JSON_TYPE).send({ tasks });
  });

  app.get<IdParams>("/api/v3/jobs/:job_id/blocklist", async (req, reply) => {
    if (!isUuid(req.params.job_id)) {
      return apiError(reply, 400, "job ID should be a UUID");
    }
    const job = farm.jobs.get(req.params.job_id);
    const list = (job?.blocklist ?? []).map((b) => ({
      task_type: b.taskType,
      worker_id: b.workerId,
      worker_name: farm.workers.get(b.workerId)?.name ?? "",
    }));
    return reply.type(JSON_TYPE).send(list);
  });
}

function addJobStatusRoute(app: FastifyInstance, farm: Farm): void {
  app.delete<IdParams>("/api/v3/jobs/:job_id", async (req, reply) => {
    const job = findJob(farm, req.params.job_id);
    if (Array.isArray(job)) return apiError(reply, ...job);
    // Marked now, deleted in the background (the next farm step).
    job.deleteRequestedMs ??= farm.nowMs;
    farm.deleting.add(job);
    farm.touchJob(job);
    return reply.code(204).send();
  });

  app.post<IdParams>("/api/v3/jobs/:job_id/setstatus", async (req, reply) => {
    const change = checkBody<JobStatusChange>(
      reply,
      "JobStatusChange",
      req.body,
    );
    if (!change) return reply;
    const job = findJob(farm, req.params.job_id);
    if (Array.isArray(job)) return apiError(reply, ...job);
    jobStatusChange(farm, job, change.status, change.reason);
    if (change.status === "requeueing") {
      // Only a requeue from outside clears failure lists and blocklist.
      for (const t of job.tasks) t.failedBy = [];
      job.blocklist = [];
      job.json = undefined;
    }
    return reply.code(204).send();
  });
}

function addNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler(async (req, reply) => {
    // A known path with another method reaches the Manager's request
    // validator, which answers 404; anything else is Echo's own 404.
    const path = req.url.split("?")[0] ?? "";
    const message = KNOWN_PATH.test(path) ? "method not allowed" : "Not Found";
    return validatorError(reply, 404, message);
  });
}
