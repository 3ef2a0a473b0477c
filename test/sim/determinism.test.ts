import { afterEach, describe, expect, it } from "vitest";
import { call, startTestSim, type TestSim } from "../support/sim.js";

const started: TestSim[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function farmAfter(seed: number, seconds: number): Promise<unknown> {
  const s = await startTestSim({
    seed,
    workers: 6,
    jobs: 5,
    unfinishedJobs: 3,
    failureRatio: 0.2,
  });
  started.push(s);
  s.advance(seconds);
  const jobs = await call(s.url, "GET", "/api/v3/jobs");
  const workers = await call(s.url, "GET", "/api/v3/worker-mgt/workers");
  const tasks = await Promise.all(
    [...s.farm.jobs.keys()].map(
      async (id) => (await call(s.url, "GET", `/api/v3/jobs/${id}/tasks`)).json,
    ),
  );
  return { jobs: jobs.json, workers: workers.json, tasks };
}

describe("sim determinism", () => {
  it("gives the same farm for the same seed and time", async () => {
    expect(await farmAfter(7, 900)).toEqual(await farmAfter(7, 900));
  });

  it("gives another farm for another seed", async () => {
    expect(await farmAfter(7, 900)).not.toEqual(await farmAfter(8, 900));
  });
});
