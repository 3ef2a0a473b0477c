import { afterEach, describe, expect, it } from "vitest";
import { validateSchema } from "../support/spec.js";
import { call, startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim;

afterEach(async () => {
  await s.close();
});

describe("sim control API", () => {
  it("submits a job with the given frames and chunk size", async () => {
    s = await startTestSim({ jobs: 0 });
    const a = await call(s.url, "POST", "/sim/jobs", {
      name: "shot-010",
      frames: 10,
      chunkSize: 3,
    });
    expect(validateSchema("Job", a.json)).toEqual([]);
    const id = (a.json as { id: string }).id;
    const tasks = await call(s.url, "GET", `/api/v3/jobs/${id}/tasks`);
    const names = (tasks.json as { tasks: { name: string }[] }).tasks.map(
      (t) => t.name,
    );
    expect(names).toEqual([
      "render-1-3",
      "render-4-6",
      "render-7-9",
      "render-10",
    ]);
  });

  it("rejects a job with an unknown status", async () => {
    s = await startTestSim({ jobs: 0 });
    const a = await call(s.url, "POST", "/sim/jobs", { status: "zzz" });
    expect(a.status).toBe(400);
  });

  it("deletes a worker: gone from the list, its task requeued", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    s.advance(5);
    const w = s.farm.findWorker("render-02")!;
    const taskId = w.taskId!;
    const a = await call(s.url, "POST", "/sim/workers/render-02/delete");
    expect(a.status).toBe(200);
    const list = await call(s.url, "GET", "/api/v3/worker-mgt/workers");
    const names = (list.json as { workers: { name: string }[] }).workers;
    expect(names.map((x) => x.name)).toEqual(["render-01"]);
    expect(s.farm.tasks.get(taskId)!.status).toBe("queued");
  });

  it("answers 404 for an unknown worker", async () => {
    s = await startTestSim();
    const a = await call(s.url, "POST", "/sim/workers/render-99/sign-off");
    expect(a.status).toBe(404);
  });

  it("counts Manager requests and bytes per route", async () => {
    s = await startTestSim();
    const id = [...s.farm.jobs.keys()][0]!;
    await call(s.url, "GET", "/api/v3/jobs");
    await call(s.url, "GET", `/api/v3/jobs/${id}/tasks`);
    const tasks = await call(s.url, "GET", `/api/v3/jobs/${id}/tasks`);
    const stats = (await call(s.url, "GET", "/sim/stats")).json as {
      total: { requests: number };
      routes: Record<string, { requests: number; bytes: number }>;
    };
    expect(stats.total.requests).toBe(3);
    expect(stats.routes["GET /api/v3/jobs/{job_id}/tasks"]).toEqual({
      requests: 2,
      bytes: 2 * Buffer.byteLength(tasks.text),
    });
  });

  it("sets the counters back to zero", async () => {
    s = await startTestSim();
    await call(s.url, "GET", "/api/v3/jobs");
    await call(s.url, "POST", "/sim/stats/reset");
    const stats = (await call(s.url, "GET", "/sim/stats")).json;
    expect(stats).toEqual({ total: { requests: 0, bytes: 0 }, routes: {} });
  });

  it("resets to the seeded farm", async () => {
    s = await startTestSim();
    const before = [...s.farm.jobs.keys()];
    s.advance(600);
    await call(s.url, "POST", "/sim/jobs", {});
    await call(s.url, "POST", "/sim/reset");
    expect([...s.farm.jobs.keys()]).toEqual(before);
    expect([...s.farm.jobs.values()].map((j) => j.status)).toEqual([
      "queued",
      "queued",
    ]);
  });

  it("resets to an empty farm like a Manager on a fresh database", async () => {
    s = await startTestSim();
    await call(s.url, "POST", "/sim/reset", { fresh: true });
    const list = await call(s.url, "GET", "/api/v3/worker-mgt/workers");
    expect(list.json).toEqual({ workers: [] });
  });

  it("advances the farm clock", async () => {
    s = await startTestSim();
    const a = await call(s.url, "POST", "/sim/advance", { seconds: 90 });
    expect(a.json).toEqual({ now: "2026-01-05T09:01:30.000Z" });
  });

  it("refuses to advance the clock by more than an hour at once", async () => {
    s = await startTestSim();
    const a = await call(s.url, "POST", "/sim/advance", { seconds: 1e12 });
    const now = await call(s.url, "POST", "/sim/advance", { seconds: 0 });
    expect([a.status, now.json]).toEqual([
      400,
      { now: "2026-01-05T09:00:00.000Z" },
    ]);
  });

  it("dumps the model", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 3 });
    const a = await call(s.url, "GET", "/sim/state");
    const state = a.json as { workers: unknown[]; jobs: { tasks: [] }[] };
    expect(state.workers).toHaveLength(2);
    expect(state.jobs[0]!.tasks).toHaveLength(3);
  });

  it("dumps the model without tasks when asked", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 3 });
    const a = await call(s.url, "GET", "/sim/state?tasks=0");
    const state = a.json as { jobs: { tasks: [] }[] };
    expect(state.jobs[0]!.tasks).toEqual([]);
  });

  it("emits spec-shaped job, task and worker events", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    const seen: [string, unknown][] = [];
    s.farm.events.on("job", (e) => seen.push(["EventJobUpdate", e]));
    s.farm.events.on("task", (e) => seen.push(["EventTaskUpdate", e]));
    s.farm.events.on("worker", (e) => seen.push(["EventWorkerUpdate", e]));
    s.advance(60);
    await call(s.url, "POST", "/sim/workers/render-01/sign-off");
    const kinds = new Set(seen.map(([k]) => k));
    expect(kinds).toEqual(
      new Set(["EventJobUpdate", "EventTaskUpdate", "EventWorkerUpdate"]),
    );
    for (const [schema, e] of seen)
      expect(validateSchema(schema, e)).toEqual([]);
  });
});

describe("sim job deletion", () => {
  it("marks a job for deletion, then deletes it and its tasks", async () => {
    s = await startTestSim({ jobs: 2 });
    const job = [...s.farm.jobs.values()][0]!;
    const del = await call(s.url, "DELETE", `/api/v3/jobs/${job.id}`);
    expect(del.status).toBe(204);
    const marked = await call(s.url, "GET", `/api/v3/jobs/${job.id}`);
    expect(marked.json).toMatchObject({
      delete_requested_at: "2026-01-05T09:00:00.000Z",
    });
    s.advance(1);
    expect((await call(s.url, "GET", `/api/v3/jobs/${job.id}`)).status).toBe(
      404,
    );
    expect(s.farm.tasks.has(job.tasks[0]!.id)).toBe(false);
  });

  it("announces the deletion with was_deleted", async () => {
    s = await startTestSim({ jobs: 1 });
    const job = [...s.farm.jobs.values()][0]!;
    const events: { id: string; was_deleted?: boolean }[] = [];
    s.farm.events.on("job", (e) => events.push(e));
    await call(s.url, "DELETE", `/api/v3/jobs/${job.id}`);
    s.advance(1);
    expect(events.at(-1)).toMatchObject({ id: job.id, was_deleted: true });
  });
});

describe("sim plugins", () => {
  it("run before listening and can add routes", async () => {
    s = await startTestSim({
      plugins: [
        (sim) => {
          sim.app.get("/socket.io/", async () => ({ plugged: true }));
        },
      ],
    });
    const a = await call(s.url, "GET", "/socket.io/");
    expect(a.json).toEqual({ plugged: true });
  });
});

describe("sim workers", () => {
  it("have loopback addresses only", async () => {
    s = await startTestSim({ workers: 12 });
    for (const w of s.farm.workers.values()) {
      expect(w.address).toMatch(/^127\.0\.0\.\d+$/);
    }
  });

  it("are named render-01 and up, on linux", async () => {
    s = await startTestSim({ workers: 3 });
    const ws = [...s.farm.workers.values()];
    expect(ws.map((w) => `${w.name}/${w.platform}`)).toEqual([
      "render-01/linux",
      "render-02/linux",
      "render-03/linux",
    ]);
  });

  it("include a windows one failing on path mapping", async () => {
    s = await startTestSim({ workers: 3, jobs: 1, windowsWorker: true });
    s.advance(10);
    const win = s.farm.findWorker("render-03")!;
    expect(win.platform).toBe("windows");
    const task = [...s.farm.tasks.values()].find((t) =>
      t.failedBy.includes(win.id),
    )!;
    const tail = await call(s.url, "GET", `/api/v3/tasks/${task.id}/logtail`);
    expect(tail.text).toMatch(/Cannot read file "C:\\/);
  });

  it("can be added, also under a name already taken", async () => {
    s = await startTestSim({ workers: 2 });
    const a = await call(s.url, "POST", "/sim/workers", { name: "render-01" });
    expect(validateSchema("WorkerSummary", a.json)).toEqual([]);
    const names = [...s.farm.workers.values()].map((w) => w.name);
    expect(names).toEqual(["render-01", "render-02", "render-01"]);
    const added = [...s.farm.workers.values()][2]!;
    expect(added.address).toBe("127.0.0.4");
  });

  it("spread the Blender versions asked for", async () => {
    s = await startTestSim({ workers: 3, blenderVersions: ["4.2.3", "4.5.0"] });
    const ws = [...s.farm.workers.values()];
    expect(ws.map((w) => w.blenderVersion)).toEqual([
      "4.2.3",
      "4.5.0",
      "4.2.3",
    ]);
  });
});
