import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateResponse, validateSchema } from "../support/spec.js";
import {
  call,
  startTestSim,
  type Answer,
  type TestSim,
} from "../support/sim.js";

const UNKNOWN = "00000000-0000-4000-8000-000000000000";

let s: TestSim;
let jobId: string;
let taskId: string;
let workerId: string;

beforeAll(async () => {
  s = await startTestSim({ workers: 4, jobs: 3, unfinishedJobs: 2 });
  s.advance(50);
  jobId = [...s.farm.jobs.keys()][2]!;
  const job = s.farm.jobs.get(jobId)!;
  taskId = job.tasks[0]!.id;
  workerId = [...s.farm.workers.keys()][0]!;
  // One failure gives a failure list and a log tail.
  await call(s.url, "POST", `/sim/jobs/${jobId}/fail-frames`, { count: 1 });
});

afterAll(async () => {
  await s.close();
});

function bodyOf(a: Answer): unknown {
  return a.contentType.startsWith("text/plain") ? a.text : a.json;
}

/** Requests `path` and validates the answer against `template`. */
async function conformance(
  method: string,
  template: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const a = await call(s.url, method, path, body);
  const errors = validateResponse(
    method,
    template,
    a.status,
    bodyOf(a),
    a.contentType || undefined,
  );
  expect(errors, `${method} ${path} -> ${a.status}`).toEqual([]);
  return a;
}

const cases: [string, string, () => string, number, unknown?][] = [
  ["GET", "/api/v3/version", () => "/api/v3/version", 200],
  ["GET", "/api/v3/status", () => "/api/v3/status", 200],
  ["GET", "/api/v3/jobs", () => "/api/v3/jobs", 200],
  ["GET", "/api/v3/jobs/{job_id}", () => `/api/v3/jobs/${jobId}`, 200],
  [
    "GET",
    "/api/v3/jobs/{job_id}/tasks",
    () => `/api/v3/jobs/${jobId}/tasks`,
    200,
  ],
  ["GET", "/api/v3/jobs/{job_id}/tasks", () => "/api/v3/jobs/x/tasks", 400],
  [
    "GET",
    "/api/v3/jobs/{job_id}/blocklist",
    () => `/api/v3/jobs/${jobId}/blocklist`,
    200,
  ],
  [
    "GET",
    "/api/v3/jobs/{job_id}/blocklist",
    () => "/api/v3/jobs/x/blocklist",
    400,
  ],
  ["GET", "/api/v3/tasks/{task_id}", () => `/api/v3/tasks/${taskId}`, 200],
  ["GET", "/api/v3/tasks/{task_id}", () => `/api/v3/tasks/${UNKNOWN}`, 404],
  ["GET", "/api/v3/tasks/{task_id}", () => "/api/v3/tasks/x", 400],
  [
    "GET",
    "/api/v3/tasks/{task_id}/logtail",
    () => `/api/v3/tasks/${taskId}/logtail`,
    200,
  ],
  [
    "GET",
    "/api/v3/tasks/{task_id}/logtail",
    () => `/api/v3/tasks/${UNKNOWN}/logtail`,
    404,
  ],
  [
    "GET",
    "/api/v3/worker-mgt/workers",
    () => "/api/v3/worker-mgt/workers",
    200,
  ],
  [
    "GET",
    "/api/v3/worker-mgt/workers/{worker_id}",
    () => `/api/v3/worker-mgt/workers/${workerId}`,
    200,
  ],
  [
    "POST",
    "/api/v3/jobs/{job_id}/setstatus",
    () => `/api/v3/jobs/${UNKNOWN}/setstatus`,
    404,
    { status: "paused", reason: "test" },
  ],
  [
    "POST",
    "/api/v3/tasks/{task_id}/setstatus",
    () => `/api/v3/tasks/${UNKNOWN}/setstatus`,
    404,
    { status: "queued", reason: "test" },
  ],
  [
    "DELETE",
    "/api/v3/worker-mgt/workers/{worker_id}",
    () => `/api/v3/worker-mgt/workers/${UNKNOWN}`,
    404,
  ],
];

// Errors the real Manager sends where the spec documents none: they use
// the spec's Error schema, as sendAPIError does.
const undocumented: [string, number][] = [
  ["/api/v3/jobs/nope", 400],
  [`/api/v3/jobs/${UNKNOWN}`, 404],
  ["/api/v3/worker-mgt/workers/nope", 400],
  [`/api/v3/worker-mgt/workers/${UNKNOWN}`, 404],
];

describe("simulated Manager API conformance", () => {
  it.each(undocumented)(
    "GET %s answers %i with the spec's Error body",
    async (path, code) => {
      const a = await call(s.url, "GET", path);
      expect(a.status).toBe(code);
      expect(a.contentType).toMatch(/^application\/json/);
      expect(validateSchema("Error", a.json)).toEqual([]);
      expect((a.json as { code: number }).code).toBe(code);
    },
  );

  it.each(cases)("%s %s answers as the spec says", async (m, t, p, code, b) => {
    const a = await conformance(m, t, p(), b);
    expect(a.status).toBe(code);
  });

  it("answers a queued task's log tail with 204 and no body", async () => {
    const job = s.farm.jobs.get(jobId)!;
    const queued = job.tasks.find((x) => x.status === "queued")!;
    const a = await conformance(
      "GET",
      "/api/v3/tasks/{task_id}/logtail",
      `/api/v3/tasks/${queued.id}/logtail`,
    );
    expect(a.status).toBe(204);
  });

  it("accepts a job status change with 204", async () => {
    const other = [...s.farm.jobs.keys()][1]!;
    const a = await conformance(
      "POST",
      "/api/v3/jobs/{job_id}/setstatus",
      `/api/v3/jobs/${other}/setstatus`,
      { status: "pause-requested", reason: "conformance" },
    );
    expect(a.status).toBe(204);
  });

  it("accepts a task status change with 204", async () => {
    const a = await conformance(
      "POST",
      "/api/v3/tasks/{task_id}/setstatus",
      `/api/v3/tasks/${taskId}/setstatus`,
      { status: "queued", reason: "conformance" },
    );
    expect(a.status).toBe(204);
  });

  it("accepts a job deletion with 204", async () => {
    const first = [...s.farm.jobs.keys()][0]!;
    const a = await conformance(
      "DELETE",
      "/api/v3/jobs/{job_id}",
      `/api/v3/jobs/${first}`,
    );
    expect(a.status).toBe(204);
  });

  it("accepts a worker status change request with 204", async () => {
    const a = await conformance(
      "POST",
      "/api/v3/worker-mgt/workers/{worker_id}/setstatus",
      `/api/v3/worker-mgt/workers/${workerId}/setstatus`,
      { status: "asleep", is_lazy: true },
    );
    expect(a.status).toBe(204);
  });

  it("deletes a worker with 204", async () => {
    const last = [...s.farm.workers.keys()][3]!;
    const a = await conformance(
      "DELETE",
      "/api/v3/worker-mgt/workers/{worker_id}",
      `/api/v3/worker-mgt/workers/${last}`,
    );
    expect(a.status).toBe(204);
  });

  it("sends JSON as bare application/json, like Echo", async () => {
    const a = await call(s.url, "GET", "/api/v3/worker-mgt/workers");
    expect(a.contentType).toBe("application/json");
  });

  it("sends a Date header from the farm clock", async () => {
    s.advance(3600);
    const a = await call(s.url, "GET", "/api/v3/version");
    expect(new Date(a.headers.get("date")!).getTime()).toBe(s.farm.nowMs);
  });

  it("answers an unknown path with Echo's 404", async () => {
    const a = await call(s.url, "GET", "/api/v3/nothing-here");
    expect(a.status).toBe(404);
    expect(a.json).toEqual({ message: "Not Found" });
  });

  it("rejects unparsable JSON like the request validator: 400", async () => {
    const res = await fetch(`${s.url}/api/v3/jobs/${jobId}/setstatus`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: expect.stringMatching(/^request body has an error/),
    });
  });

  it("rejects an unknown status like the request validator: 400", async () => {
    const a = await call(s.url, "POST", `/api/v3/jobs/${jobId}/setstatus`, {
      status: "exploded",
      reason: "x",
    });
    expect(a.status).toBe(400);
    expect(a.json).toMatchObject({
      message: expect.stringContaining("JobStatusChange"),
    });
  });
});
