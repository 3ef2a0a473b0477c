import { afterEach, describe, expect, it } from "vitest";
import type { Worker } from "../../src/shared/flamenco/types.js";
import { ago, job, task, worker, type FarmFixture } from "./fixtures/farm.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = (w: Worker) => ({ id: w.id, name: w.name, address: w.ip_address });

/** 50 finished jobs and two unfinished ones, j-a and j-b. */
function farm(): FarmFixture {
  const w = worker("w-01", "render-01");
  const done = Array.from({ length: 50 }, (_, i) =>
    job(`done-${i}`, { status: "completed" }),
  );
  return {
    workers: [w],
    jobs: [
      ...done,
      job("j-a"),
      job("j-b", { status: "queued" }),
      job("j-c", { status: "paused" }),
    ],
    tasks: {
      "j-a": [task("a1", 0, { status: "active", worker: ref(w) })],
      "j-b": [task("b1", 0)],
      "j-c": [task("c1", 0, { status: "paused" })],
    },
    logTail: "Error: Cannot read file\nBlender quit\n",
  };
}

const tasksOf = (id: string) => `GET /api/v3/jobs/${id}/tasks`;
const WORKERS = "GET /api/v3/worker-mgt/workers";

describe("exporter load on the Manager", () => {
  it("reads tasks only of unfinished jobs", async () => {
    h = await startHarness(farm());
    await h.poll();
    const reads = h.fake.requests.filter((r) => r.endsWith("/tasks"));
    expect(reads.sort()).toEqual(["j-a", "j-b", "j-c"].map(tasksOf));
  });

  it("re-reads tasks of an idle job only when its updated time moved", async () => {
    const f = farm();
    h = await startHarness(f);
    await h.poll();
    f.jobs.find((j) => j.id === "j-b")!.updated = ago(0);
    h.advance(10);
    await h.poll();
    expect(h.fake.count(tasksOf("j-b"))).toBe(2);
    expect(h.fake.count(tasksOf("j-c"))).toBe(1);
  });

  it("re-reads a rendering job every poll, since a failure does not move it", async () => {
    h = await startHarness(farm());
    await h.poll();
    h.advance(10);
    await h.poll();
    expect(h.fake.count(tasksOf("j-a"))).toBe(2);
  });

  it("re-reads an unchanged unfinished job after taskRefreshSeconds", async () => {
    h = await startHarness(farm(), { exporter: { taskRefreshSeconds: 60 } });
    await h.poll();
    h.advance(60);
    await h.poll();
    expect(h.fake.count(tasksOf("j-b"))).toBe(2);
  });

  it("reads details and log tail only of a task that just failed", async () => {
    const f = farm();
    h = await startHarness(f);
    await h.poll();
    const a = f.jobs.find((j) => j.id === "j-a")!;
    a.updated = ago(0);
    f.tasks!["j-a"]![0]!.status = "failed";
    f.tasks!["j-a"]![0]!.updated = ago(0);
    h.advance(10);
    await h.poll();
    await h.poll();

    const perTask = h.fake.requests.filter((r) => r.includes("/tasks/"));
    expect(perTask).toEqual([
      "GET /api/v3/tasks/a1",
      "GET /api/v3/tasks/a1/logtail",
    ]);
  });

  it("shows a failed frame range with worker, platform and log tail", async () => {
    const f = farm();
    h = await startHarness(f);
    await h.poll();
    f.jobs.find((j) => j.id === "j-a")!.updated = ago(0);
    Object.assign(f.tasks!["j-a"]![0]!, { status: "failed", updated: ago(0) });
    await h.poll();

    expect(h.exporter.view().failedTasks).toEqual([
      {
        jobId: "j-a",
        jobName: "job-j-a",
        taskId: "a1",
        taskName: "render-1-10",
        frames: "1-10",
        status: "failed",
        worker: "render-01",
        workerId: "w-01",
        platform: "linux",
        failedAt: new Date(h.fake.nowMs).toISOString(),
        logTail: ["Error: Cannot read file", "Blender quit"],
      },
    ]);
    const labels = { job_type: "simple-blender-render" };
    expect(await h.value("flamenco_tasks_failed_total", labels)).toBe(1);
  });

  it("lists jobs with POST /jobs/query on a 3.5 Manager", async () => {
    const f = farm();
    f.version = "3.5";
    h = await startHarness(f);
    h.fake.set("POST /api/v3/jobs/query", () => ({ body: { jobs: f.jobs } }));
    await h.poll();
    expect(h.fake.count("GET /api/v3/jobs")).toBe(0);
    expect(h.exporter.view().jobs).toHaveLength(53);
  });

  it("reads the version once, and again after the Manager was unreachable", async () => {
    h = await startHarness(farm(), { requestTimeoutSeconds: 0.3 });
    await h.poll();
    await h.poll();
    const version = () => h!.fake.count("GET /api/v3/version");
    expect(version()).toBe(1);
    const good = h.fake.routes.get(WORKERS)!;
    h.fake.set(WORKERS, { hang: true });
    await h.poll();
    h.fake.set(WORKERS, good);
    await h.poll();
    expect(version()).toBe(2);
  });

  it("re-reads at most maxConcurrentRequests worker details per poll when due", async () => {
    const f = farm();
    f.workers = Array.from({ length: 10 }, (_, i) =>
      worker(`w-${i}`, `render-${i}`),
    );
    h = await startHarness(f, {
      exporter: { maxConcurrentRequests: 3, workerDetailRefreshSeconds: 60 },
    });
    await h.poll();
    const details = () =>
      h!.fake.requests.filter((r) =>
        r.startsWith("GET /api/v3/worker-mgt/workers/"),
      ).length;
    expect(details()).toBe(10);
    h.advance(60);
    await h.poll();
    expect(details()).toBe(13);
  });
});
