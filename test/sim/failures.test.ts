import { afterEach, describe, expect, it } from "vitest";
import { onTaskFailed } from "../../src/sim/failures.js";
import type { SimJob, SimTask } from "../../src/sim/model.js";
import { findRunnableTask } from "../../src/sim/scheduler.js";
import { call, startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim;

afterEach(async () => {
  await s.close();
});

function job(): SimJob {
  return [...s.farm.jobs.values()][0]!;
}

/** `name` reports `task` failed (no time passes). */
function fail(task: SimTask, name: string): void {
  onTaskFailed(s.farm, s.farm.findWorker(name)!, task, "boom\n");
}

describe("sim task failure rules", () => {
  it("soft-fails a task that failed on one worker", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 20 });
    const task = job().tasks[0]!;
    fail(task, "render-01");
    expect(task.status).toBe("soft-failed");
    expect(task.activity).toMatch(/will mark it as soft failure/);
    expect(job().status).toBe("active");
  });

  it("hard-fails a task after it failed on 3 different workers", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 20 });
    const task = job().tasks[0]!;
    fail(task, "render-01");
    fail(task, "render-02");
    expect(task.status).toBe("soft-failed");
    fail(task, "render-03");
    expect(task.status).toBe("failed");
    expect(task.failedBy).toHaveLength(3);
  });

  it("fails the job once 10 % of its tasks failed", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 20 });
    const [a, b] = job().tasks;
    for (const w of ["render-01", "render-02", "render-03"]) fail(a!, w);
    expect(job().status).toBe("active");
    for (const w of ["render-02", "render-03", "render-04"]) fail(b!, w);
    expect(job().status).toBe("failed");
    expect(job().tasks[5]!.status).toBe("canceled");
  });

  it("blocklists a worker after 3 failures of a task type", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 40 });
    const [a, b, c] = job().tasks;
    fail(a!, "render-01");
    fail(b!, "render-01");
    expect(job().blocklist).toEqual([]);
    fail(c!, "render-01");
    const w = s.farm.findWorker("render-01")!;
    const list = await call(s.url, "GET", `/api/v3/jobs/${job().id}/blocklist`);
    expect(list.json).toEqual([
      { task_type: "blender", worker_id: w.id, worker_name: "render-01" },
    ]);
  });

  it("gives a blocklisted worker no more tasks of that job", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 40 });
    const [a, b, c] = job().tasks;
    for (const t of [a, b, c]) fail(t!, "render-01");
    expect(findRunnableTask(s.farm, s.farm.findWorker("render-01")!)).toBe(
      undefined,
    );
  });

  it("fails the job when at most one worker is left for a task", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 20 });
    fail(job().tasks[0]!, "render-01");
    expect(job().tasks[0]!.status).toBe("failed");
    expect(job().status).toBe("failed");
  });

  it("shows who failed a task in failed_by_workers", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 20 });
    const task = job().tasks[0]!;
    fail(task, "render-02");
    const a = await call(s.url, "GET", `/api/v3/tasks/${task.id}`);
    const body = a.json as { failed_by_workers: { name: string }[] };
    expect(body.failed_by_workers.map((w) => w.name)).toEqual(["render-02"]);
  });

  it("fails frames on request with the given log tail", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 20 });
    s.advance(5);
    const a = await call(s.url, "POST", `/sim/jobs/${job().id}/fail-frames`, {
      count: 2,
      logTail: "Error: out of memory\n",
    });
    const failed = (a.json as { failed: { taskId: string }[] }).failed;
    expect(failed).toHaveLength(2);
    const tail = await call(
      s.url,
      "GET",
      `/api/v3/tasks/${failed[0]!.taskId}/logtail`,
    );
    expect(tail.text).toBe("Error: out of memory\n");
  });

  it("retries a soft-failed task on another worker", async () => {
    s = await startTestSim({ workers: 4, jobs: 1, framesPerJob: 1 });
    const task = job().tasks[0]!;
    fail(task, "render-01");
    s.advance(10);
    expect(task.status).toBe("active");
    expect(task.workerId).not.toBe(s.farm.findWorker("render-01")!.id);
  });
});
