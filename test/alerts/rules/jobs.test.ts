import { describe, expect, it } from "vitest";
import {
  framesFailed,
  jobFailed,
  jobFinished,
  jobStuck,
  jobUnservable,
} from "../../../src/alerts/rules/jobs.js";
import { pathMappingSuspect } from "../../../src/alerts/rules/path-mapping.js";
import type { FailedTaskView } from "../../../src/shared/views.js";
import { farm, job, ruleInput } from "../fixtures.js";

function failed(p: Partial<FailedTaskView> = {}): FailedTaskView {
  return {
    jobId: "j-40",
    jobName: "shot_040_fx_sim",
    taskId: "t-1",
    taskName: "render-0401-0410",
    frames: "401-410",
    status: "failed",
    worker: "render-05",
    platform: "linux",
    failedAt: "2025-06-02T11:59:00Z",
    logTail: ["line 1", "line 2", "command exited abnormally with code 1"],
    ...p,
  };
}

describe("FlamencoFramesFailed", () => {
  it("makes one alert per job and worker listing every failed frame range", () => {
    const tasks = [
      failed(),
      failed({ taskId: "t-2", frames: "411-420" }),
      failed({ taskId: "t-3", frames: "421-430", worker: "render-06" }),
    ];
    const c = framesFailed(ruleInput({ farm: farm({ failedTasks: tasks }) }));
    expect(c.map((x) => [x.labels.worker, x.value, x.details![0]])).toEqual([
      ["render-05", 2, "frames 401-410, 411-420 on render-05"],
      ["render-06", 1, "frames 421-430 on render-06"],
    ]);
  });

  it("names a worker heading for the blocklist", () => {
    const tasks = [failed(), failed({ taskId: "t-2", frames: "411-420" })];
    const c = framesFailed(ruleInput({ farm: farm({ failedTasks: tasks }) }));
    expect(c[0]!.description).toMatch(/render-05 failed 2 tasks .* blocklist/);
  });

  it("includes the last lines of the log tail", () => {
    const c = framesFailed(
      ruleInput({ farm: farm({ failedTasks: [failed()] }) }),
    );
    expect(c[0]!.details!.slice(1)).toEqual([
      "line 1",
      "line 2",
      "command exited abnormally with code 1",
    ]);
  });

  it("stays silent without failed tasks", () => {
    expect(framesFailed(ruleInput())).toEqual([]);
  });
});

describe("job rules", () => {
  it("fires FlamencoJobFailed for a failed job", () => {
    const f = farm({ jobs: [job({ status: "failed" })] });
    expect(jobFailed(ruleInput({ farm: f })).map((c) => c.labels.job)).toEqual([
      "shot_010",
    ]);
  });

  it("stays silent for an active job", () => {
    expect(jobFailed(ruleInput())).toEqual([]);
  });

  it.each(["pause-requested", "cancel-requested", "requeueing"])(
    "fires FlamencoJobStuck for a job in %s for over 10 min with no active task",
    (status) => {
      const j = job({
        status,
        stateAgeSeconds: 5340,
        tasksByStatus: { queued: 12, completed: 28 },
      });
      const c = jobStuck(ruleInput({ farm: farm({ jobs: [j] }) }));
      expect(c.map((x) => x.labels)).toEqual([{ job: "shot_010", status }]);
    },
  );

  it("does not call a requested state stuck while a task is still active", () => {
    const j = job({
      status: "pause-requested",
      stateAgeSeconds: 5340,
      tasksByStatus: { active: 1 },
    });
    expect(jobStuck(ruleInput({ farm: farm({ jobs: [j] }) }))).toEqual([]);
  });

  it("fires FlamencoJobUnservable for work no worker can take", () => {
    const f = farm({
      problems: {
        stalledTasks: [],
        stuckJobs: [],
        unservableJobs: [
          { jobId: "j", jobName: "shot_010", reason: "no worker of tag gpu" },
        ],
        pathMappingSuspects: [],
      },
    });
    expect(jobUnservable(ruleInput({ farm: f }))).toHaveLength(1);
  });

  it("stays silent when every queued job can be served", () => {
    expect(jobUnservable(ruleInput())).toEqual([]);
  });

  it("notices a job once when it goes from unfinished to completed", () => {
    const memory = {};
    expect(jobFinished(ruleInput({ memory }))).toEqual([]);
    const done = farm({
      jobs: [job({ status: "completed", unfinished: false })],
    });
    const c = jobFinished(ruleInput({ farm: done, memory }));
    expect(c.map((x) => [x.name, x.event])).toEqual([
      ["FlamencoJobFinished", true],
    ]);
    expect(jobFinished(ruleInput({ farm: done, memory }))).toEqual([]);
  });

  it("does not announce jobs already completed when first seen", () => {
    const done = farm({
      jobs: [job({ status: "completed", unfinished: false })],
    });
    expect(jobFinished(ruleInput({ farm: done, memory: {} }))).toEqual([]);
  });
});

describe("FlamencoPathMappingSuspect", () => {
  const winFailures = [
    failed({
      jobId: "j-10",
      jobName: "shot_010",
      worker: "render-05",
      platform: "windows",
      logTail: [
        'Error: Cannot read file "C:\\flamenco-worker\\\\nas01\\render\\jobs\\shot_010\\shot_010.blend": No such file or directory',
        "Blender quit",
        "command exited abnormally with code 1",
      ],
    }),
    failed({
      jobId: "j-10",
      jobName: "shot_010",
      taskId: "t-9",
      worker: "render-06",
      platform: "windows",
      logTail: ["Cannot read file"],
    }),
  ];

  it("reports one platform path problem instead of failing workers when every failure is on windows", () => {
    const c = pathMappingSuspect(
      ruleInput({ farm: farm({ failedTasks: winFailures }) }),
    );
    expect(c.map((x) => [x.labels, x.details])).toEqual([
      [{ job: "shot_010", platform: "windows" }, ["render-05", "render-06"]],
    ]);
    expect(c[0]!.description).toMatch(/two-way variables.*UNC/);
  });

  it("stays silent when failures span platforms", () => {
    const mixed = [
      winFailures[0]!,
      failed({
        jobId: "j-10",
        jobName: "shot_010",
        worker: "render-01",
        platform: "linux",
        logTail: ["Cannot read file"],
      }),
    ];
    expect(
      pathMappingSuspect(ruleInput({ farm: farm({ failedTasks: mixed }) })),
    ).toEqual([]);
  });

  it("stays silent for a single failing worker", () => {
    expect(
      pathMappingSuspect(
        ruleInput({ farm: farm({ failedTasks: [winFailures[0]!] }) }),
      ),
    ).toEqual([]);
  });
});
