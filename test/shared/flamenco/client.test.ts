import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FlamencoApiError,
  FlamencoUnreachableError,
} from "../../../src/shared/errors.js";
import {
  FlamencoClient,
  type RequestRecord,
  type ValidationIssue,
} from "../../../src/shared/flamenco/client.js";
import { job, NOW_MS, worker } from "../../exporter/fixtures/farm.js";
import { startFakeManager, type FakeManager } from "./fake-manager.js";

let fake: FakeManager;
let records: RequestRecord[];
let issues: { endpoint: string; issues: readonly ValidationIssue[] }[];

function client(opts: { timeoutSeconds?: number; max?: number } = {}) {
  return new FlamencoClient({
    baseUrl: fake.url,
    timeoutSeconds: opts.timeoutSeconds ?? 5,
    maxConcurrentRequests: opts.max ?? 4,
    onRequest: (r) => records.push(r),
    onIssues: (endpoint, list) => issues.push({ endpoint, issues: list }),
  });
}

beforeEach(async () => {
  fake = await startFakeManager();
  records = [];
  issues = [];
});
afterEach(async () => {
  await fake.close();
});

describe("FlamencoClient", () => {
  it("returns the Manager's clock from its Date header", async () => {
    fake.set("GET /api/v3/status", { body: { status: "idle" } });
    const answer = await client().getStatus();
    expect(answer.serverDate?.getTime()).toBe(NOW_MS);
  });

  it("records endpoint template, bytes and duration of each request", async () => {
    fake.set("GET /api/v3/jobs/j1/tasks", { body: { tasks: [] } });
    await client().getJobTasks("j1");
    expect(records).toEqual([
      expect.objectContaining({
        endpoint: "/api/v3/jobs/{job_id}/tasks",
        status: 200,
        bytes: Buffer.byteLength('{"tasks":[]}'),
      }),
    ]);
    expect(records[0]!.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it("throws FlamencoApiError with retryAfterSeconds on 503 with Retry-After", async () => {
    fake.set("GET /api/v3/worker-mgt/workers", {
      status: 503,
      headers: { "retry-after": "1" },
      body: { code: 503, message: "too busy to find a task for you" },
    });
    const err = await client()
      .listWorkers()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlamencoApiError);
    expect(err).toMatchObject({ status: 503, retryAfterSeconds: 1 });
    expect((err as Error).message).toBe(
      `GET ${fake.url}/api/v3/worker-mgt/workers: 503 too busy to find a task for you`,
    );
  });

  it("throws FlamencoUnreachableError naming the refused connection", async () => {
    const url = fake.url;
    await fake.close();
    const c = new FlamencoClient({ baseUrl: url, timeoutSeconds: 5 });
    const err = await c.getVersion().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlamencoUnreachableError);
    expect((err as Error).message).toBe(`GET ${url}/api/v3/version: refused`);
    fake = await startFakeManager();
  });

  it("gives up on a hanging Manager after its timeout, not undici's 300 s", async () => {
    fake.set("GET /api/v3/worker-mgt/workers", { hang: true });
    const err = await client({ timeoutSeconds: 0.2 })
      .listWorkers()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlamencoUnreachableError);
    expect((err as Error).message).toMatch(/: timeout$/);
  });

  it("keeps at most maxConcurrentRequests in flight when the Manager hangs", async () => {
    fake.set("GET /api/v3/worker-mgt/workers", { hang: true });
    const c = client({ timeoutSeconds: 0.2, max: 2 });
    await Promise.allSettled(Array.from({ length: 6 }, () => c.listWorkers()));
    expect(fake.count("GET /api/v3/worker-mgt/workers")).toBe(6);
    expect(fake.maxInFlight).toBe(2);
  });

  it("reports malformed JSON as an issue and a FW_MANAGER_MALFORMED error", async () => {
    fake.set("GET /api/v3/jobs", { text: '{"jobs": [' });
    const err = await client()
      .listJobs()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "FW_MANAGER_MALFORMED" });
    expect(issues[0]?.issues[0]?.kind).toBe("malformed_json");
  });

  it("keeps a worker with an unknown status and reports the enum", async () => {
    const w = { ...worker("w1", "render-01"), status: "hibernating" };
    fake.set("GET /api/v3/worker-mgt/workers", { body: { workers: [w] } });
    const answer = await client().listWorkers();
    expect(answer.body.map((x) => x.status)).toEqual(["hibernating"]);
    expect(answer.issues).toEqual([
      {
        kind: "unknown_enum",
        path: "/workers/0/status",
        detail: '"hibernating"',
      },
    ]);
  });

  it("fills a missing field and drops an item without id", async () => {
    const { updated: _dropped, ...noUpdated } = job("j1");
    const { id: _id, ...noId } = job("j2");
    fake.set("GET /api/v3/jobs", { body: { jobs: [noUpdated, noId] } });
    const answer = await client().listJobs();
    expect(answer.body.map((j) => [j.id, j.updated])).toEqual([["j1", ""]]);
    expect(answer.issues.map((i) => `${i.kind} ${i.path}`)).toEqual([
      "missing_field /jobs/0/updated",
      "missing_field /jobs/1/id",
    ]);
  });

  it("lists jobs with POST /jobs/query on a 3.5 Manager", async () => {
    fake.set("GET /api/v3/version", {
      body: { version: "3.5", shortversion: "3.5", name: "old", git: "v3.5" },
    });
    fake.set("POST /api/v3/jobs/query", { body: { jobs: [job("j1")] } });
    const c = client();
    await c.getVersion();
    const answer = await c.listJobs();
    expect(answer.body.map((j) => j.id)).toEqual(["j1"]);
    expect(fake.count("GET /api/v3/jobs")).toBe(0);
  });

  it("falls back to POST /jobs/query when GET /jobs answers 405", async () => {
    fake.set("GET /api/v3/jobs", { status: 405, body: { message: "no" } });
    fake.set("POST /api/v3/jobs/query", { body: { jobs: [job("j1")] } });
    const c = client();
    expect((await c.listJobs()).body).toHaveLength(1);
    expect((await c.listJobs()).body).toHaveLength(1);
    expect(fake.count("GET /api/v3/jobs")).toBe(1);
  });

  it("reads a log tail as lines and a 204 as no lines", async () => {
    fake.set("GET /api/v3/tasks/t1/logtail", {
      text: "Error: Cannot read file\nBlender quit\n",
      contentType: "text/plain",
    });
    fake.set("GET /api/v3/tasks/t2/logtail", { status: 204 });
    const c = client();
    expect((await c.getTaskLogTail("t1")).body).toEqual([
      "Error: Cannot read file",
      "Blender quit",
    ]);
    expect((await c.getTaskLogTail("t2")).body).toEqual([]);
  });

  it("posts a job status change with its reason", async () => {
    let sent = "";
    fake.set("POST /api/v3/jobs/j1/setstatus", (_req, body) => {
      sent = body;
      return { status: 204 };
    });
    const answer = await client().setJobStatus("j1", {
      status: "requeueing",
      reason: "requeued from Telegram",
    });
    expect(answer.status).toBe(204);
    expect(JSON.parse(sent)).toEqual({
      status: "requeueing",
      reason: "requeued from Telegram",
    });
  });
});
