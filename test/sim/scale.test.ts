import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim;

beforeAll(async () => {
  s = await startTestSim({
    workers: 100,
    jobs: 2000,
    unfinishedJobs: 20,
    framesPerJob: 100,
  });
});

afterAll(async () => {
  await s.close();
});

describe("sim at farm scale", () => {
  it("builds 100 workers, 2,000 jobs and 200,000 tasks", () => {
    expect(s.farm.workers.size).toBe(100);
    expect(s.farm.jobs.size).toBe(2000);
    expect(s.farm.tasks.size).toBe(200_000);
    expect(s.farm.unfinishedJobs()).toHaveLength(20);
  });

  it("lists every job in one answer", async () => {
    const a = await call(s.url, "GET", "/api/v3/jobs");
    expect((a.json as { jobs: unknown[] }).jobs).toHaveLength(2000);
  });

  it("answers a finished job's 100 tasks", async () => {
    const id = [...s.farm.jobs.keys()][10]!;
    const a = await call(s.url, "GET", `/api/v3/jobs/${id}/tasks`);
    expect((a.json as { tasks: unknown[] }).tasks).toHaveLength(100);
  });

  it("gives every worker a task once time runs", async () => {
    s.advance(5);
    const busy = [...s.farm.workers.values()].filter((w) => w.taskId);
    expect(busy).toHaveLength(100);
  });
});
