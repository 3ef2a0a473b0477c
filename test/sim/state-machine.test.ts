import { afterEach, describe, expect, it } from "vitest";
import type { JobStatus, TaskStatus } from "../../src/shared/flamenco/types.js";
import type { SimJob } from "../../src/sim/model.js";
import { call, startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim;

afterEach(async () => {
  await s.close();
});

function firstJob(): SimJob {
  return [...s.farm.jobs.values()][0]!;
}

async function setJob(job: SimJob, status: JobStatus): Promise<number> {
  const a = await call(s.url, "POST", `/api/v3/jobs/${job.id}/setstatus`, {
    status,
    reason: "test",
  });
  return a.status;
}

async function setTask(id: string, status: TaskStatus): Promise<number> {
  const a = await call(s.url, "POST", `/api/v3/tasks/${id}/setstatus`, {
    status,
    reason: "test",
  });
  return a.status;
}

function statuses(job: SimJob): string[] {
  return job.tasks.map((t) => t.status);
}

describe("sim job and task status rules", () => {
  it("cancels a job: its runnable tasks canceled, then the job", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 4 });
    s.advance(40);
    const job = firstJob();
    expect(await setJob(job, "cancel-requested")).toBe(204);
    expect(job.status).toBe("canceled");
    expect(statuses(job)).not.toContain("queued");
    expect(statuses(job)).not.toContain("active");
  });

  it("requeues only failed and canceled tasks of a failed job", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 6 });
    s.advance(50);
    const job = firstJob();
    const completed = job.tasks.filter((t) => t.status === "completed");
    expect(completed.length).toBeGreaterThan(0);
    expect(await setJob(job, "failed")).toBe(204);
    expect(await setJob(job, "requeueing")).toBe(204);
    expect(job.status).toBe("queued");
    for (const t of job.tasks) {
      expect(t.status).toBe(completed.includes(t) ? "completed" : "queued");
    }
  });

  it("requeues every task of a completed job it requeues", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 2 });
    s.advance(300);
    const job = firstJob();
    expect(job.status).toBe("completed");
    expect(await setJob(job, "requeueing")).toBe(204);
    expect(job.status).toBe("queued");
    expect(statuses(job)).toEqual(["queued", "queued"]);
    expect(job.tasks.every((t) => t.stepsCompleted === 0)).toBe(true);
  });

  it("requeues the job when a task of a completed job is queued", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 2 });
    s.advance(300);
    const job = firstJob();
    expect(await setTask(job.tasks[1]!.id, "queued")).toBe(204);
    expect(job.status).toBe("queued");
    expect(job.activity).toMatch(/^Changed to status "queued"/);
  });

  it("keeps a job pause-requested until its active tasks end", async () => {
    s = await startTestSim({ workers: 1, jobs: 1, framesPerJob: 3 });
    s.advance(5);
    const job = firstJob();
    expect(await setJob(job, "pause-requested")).toBe(204);
    expect(job.status).toBe("pause-requested");
    expect(statuses(job)).toEqual(["active", "paused", "paused"]);
    s.advance(120);
    expect(job.status).toBe("paused");
  });

  it("pauses a signed-off worker's task of a pausing job", async () => {
    s = await startTestSim({ workers: 1, jobs: 1, framesPerJob: 3 });
    s.advance(5);
    const job = firstJob();
    await setJob(job, "pause-requested");
    await call(s.url, "POST", "/sim/workers/render-01/sign-off");
    expect(job.status).toBe("paused");
    expect(statuses(job)).toEqual(["paused", "paused", "paused"]);
  });

  it("leaves a pausing job stuck on sign-off with Manager 3.6", async () => {
    s = await startTestSim({
      workers: 1,
      jobs: 1,
      framesPerJob: 3,
      managerVersion: "3.6",
    });
    s.advance(5);
    const job = firstJob();
    await setJob(job, "pause-requested");
    await call(s.url, "POST", "/sim/workers/render-01/sign-off");
    s.advance(3600);
    expect(job.status).toBe("pause-requested");
    expect(statuses(job)).toEqual(["queued", "paused", "paused"]);
  });

  it("bumps the job's updated on every change", async () => {
    s = await startTestSim({ workers: 1, jobs: 1, framesPerJob: 3 });
    const job = firstJob();
    const before = job.updatedMs;
    s.advance(60);
    expect(job.updatedMs).toBeGreaterThan(before);
    const afterProgress = job.updatedMs;
    s.advance(1);
    await setJob(job, "paused");
    expect(job.updatedMs).toBeGreaterThan(afterProgress);
  });

  it("clears the failure list when a task is queued by hand", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 20 });
    const job = firstJob();
    await call(s.url, "POST", `/sim/jobs/${job.id}/fail-frames`, {
      count: 1,
      worker: "render-01",
    });
    const task = job.tasks.find((t) => t.failedBy.length > 0)!;
    expect(task.status).toBe("soft-failed");
    expect(await setTask(task.id, "queued")).toBe(204);
    expect(task.failedBy).toEqual([]);
  });

  it("clears failure lists and blocklist when a job is requeued", async () => {
    s = await startTestSim({ workers: 5, jobs: 1, framesPerJob: 40 });
    const job = firstJob();
    await call(s.url, "POST", `/sim/jobs/${job.id}/fail-frames`, {
      count: 3,
      worker: "render-01",
    });
    expect(job.blocklist).toHaveLength(1);
    expect(await setJob(job, "requeueing")).toBe(204);
    expect(job.blocklist).toEqual([]);
    expect(job.tasks.every((t) => t.failedBy.length === 0)).toBe(true);
  });
});
