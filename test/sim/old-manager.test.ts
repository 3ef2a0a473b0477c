import { afterEach, describe, expect, it } from "vitest";
import { isOldManager } from "../../src/sim/routes-jobs.js";
import { validateSchema } from "../support/spec.js";
import { call, startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim | undefined;

afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("sim as an older Manager", () => {
  it("tells 3.5 and older from 3.6 and newer", () => {
    expect(
      ["3.5.1", "3.5", "3.4", "3.6", "3.8", "4.0"].map(isOldManager),
    ).toEqual([true, true, true, false, false, false]);
  });

  it("reports the configured version", async () => {
    s = await startTestSim({ managerVersion: "3.5.1" });
    const a = await call(s!.url, "GET", "/api/v3/version");
    expect(a.json).toMatchObject({ version: "3.5.1", shortversion: "3.5.1" });
  });

  it("has no GET /api/v3/jobs before 3.6: 404 from the validator", async () => {
    s = await startTestSim({ managerVersion: "3.5.1" });
    const a = await call(s!.url, "GET", "/api/v3/jobs");
    expect(a.status).toBe(404);
    expect(a.json).toEqual({ message: "method not allowed" });
  });

  it("lists jobs with POST /api/v3/jobs/query before 3.6", async () => {
    s = await startTestSim({ managerVersion: "3.5.1", jobs: 3 });
    const a = await call(s!.url, "POST", "/api/v3/jobs/query", {});
    expect(a.status).toBe(200);
    // Valid by today's spec but for the step counts 3.8 added.
    const errors = validateSchema("JobsQueryResult", a.json);
    expect(errors).toHaveLength(6);
    for (const e of errors) {
      expect(e).toMatch(
        /must have required property 'steps_(completed|total)'/,
      );
    }
    expect((a.json as { jobs: unknown[] }).jobs).toHaveLength(3);
  });

  it("filters the job query by status_in, offset and limit", async () => {
    s = await startTestSim({ managerVersion: "3.5.1", jobs: 5 });
    const ids = [...s.farm.jobs.keys()];
    const a = await call(s!.url, "POST", "/api/v3/jobs/query", {
      status_in: ["queued"],
      offset: 1,
      limit: 2,
    });
    const jobs = (a.json as { jobs: { id: string }[] }).jobs;
    expect(jobs.map((j) => j.id)).toEqual(ids.slice(1, 3));
  });

  it("has no farm status before 3.5", async () => {
    s = await startTestSim({ managerVersion: "3.4" });
    const a = await call(s!.url, "GET", "/api/v3/status");
    expect(a.status).toBe(404);
  });

  it("has its workers run the Manager's version", async () => {
    s = await startTestSim({ managerVersion: "3.5.1" });
    const a = await call(s!.url, "GET", "/api/v3/worker-mgt/workers");
    const workers = (a.json as { workers: { version: string }[] }).workers;
    expect(new Set(workers.map((w) => w.version))).toEqual(new Set(["3.5.1"]));
  });

  it("has no steps_completed or steps_total before 3.8", async () => {
    s = await startTestSim({ managerVersion: "3.7", jobs: 1 });
    s.advance(40);
    const id = [...s.farm.jobs.keys()][0]!;
    const job = await call(s.url, "GET", `/api/v3/jobs/${id}`);
    const tasks = await call(s.url, "GET", `/api/v3/jobs/${id}/tasks`);
    const [first] = (tasks.json as { tasks: object[] }).tasks;
    for (const answer of [job.json, first]) {
      expect(answer).not.toHaveProperty("steps_completed");
      expect(answer).not.toHaveProperty("steps_total");
    }
  });

  it("has no POST /api/v3/jobs/query from 3.6 on", async () => {
    s = await startTestSim({ managerVersion: "3.8" });
    const a = await call(s!.url, "POST", "/api/v3/jobs/query", {});
    expect(a.status).toBe(404);
    expect(a.json).toEqual({ message: "method not allowed" });
  });
});
