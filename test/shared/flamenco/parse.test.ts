import { describe, expect, it } from "vitest";
import * as parse from "../../../src/shared/flamenco/parse.js";
import type { ValidationIssue } from "../../../src/shared/flamenco/validate.js";
import { job, summaryOf, task, worker } from "../../exporter/fixtures/farm.js";
import { validateSchema } from "../../support/spec.js";

type Parser = (body: unknown, issues: ValidationIssue[]) => unknown;

/** Answers that conform to the spec, with the parser and schema of each. */
const CASES: [string, string, Parser, unknown][] = [
  [
    "version",
    "FlamencoVersion",
    parse.parseVersion,
    {
      version: "3.8",
      shortversion: "3.8",
      name: "M",
      git: "v3.8",
    },
  ],
  [
    "farm status",
    "FarmStatusReport",
    parse.parseFarmStatus,
    { status: "idle" },
  ],
  ["job list", "JobsQueryResult", parse.parseJobs, { jobs: [job("j1")] }],
  ["job", "Job", parse.parseJob, job("j1")],
  [
    "worker list",
    "WorkerList",
    parse.parseWorkers,
    {
      workers: [summaryOf(worker("w1", "render-01"))],
    },
  ],
  ["worker", "Worker", parse.parseWorker, worker("w1", "render-01")],
  [
    "task list",
    "JobTasksSummary",
    parse.parseTasks,
    {
      tasks: [
        task("t1", 0, {
          worker: { id: "w1", name: "render-01", address: "127.0.0.11" },
        }),
      ],
    },
  ],
  [
    "blocklist",
    "JobBlocklist",
    parse.parseBlocklist,
    [{ worker_id: "w1", task_type: "blender", worker_name: "render-01" }],
  ],
];

describe("Flamenco answer parsers", () => {
  for (const [what, schema, parser, body] of CASES) {
    it(`accept a spec-conformant ${what} without issues`, () => {
      expect(validateSchema(schema, body)).toEqual([]);
      const issues: ValidationIssue[] = [];
      expect(parser(structuredClone(body), issues)).toBeDefined();
      expect(issues).toEqual([]);
    });
  }

  it("flag every job field the spec rejects, as the spec does", () => {
    const bad = { ...job("j1"), status: "exploded", steps_total: "ten" };
    expect(validateSchema("Job", bad).length).toBeGreaterThan(0);
    const issues: ValidationIssue[] = [];
    parse.parseJob(bad, issues);
    expect(issues.map((i) => `${i.kind} ${i.path}`).sort()).toEqual([
      "unknown_enum /status",
      "wrong_type /steps_total",
    ]);
  });

  it("drop a task worker reference that misses its id", () => {
    const t = { ...task("t1", 0), worker: { name: "render-01" } };
    const issues: ValidationIssue[] = [];
    const [parsed] = parse.parseTasks({ tasks: [t] }, issues);
    expect(parsed?.worker).toBeUndefined();
    expect(issues[0]?.path).toBe("/tasks/0/worker/id");
  });
});
