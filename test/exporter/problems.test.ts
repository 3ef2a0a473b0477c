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
const JOB = "5a7e9c00-1111-4c2b-8d3e-000000000042";

/** C01: one task active, no progress, its worker still heartbeating. */
function hungBlender(): FarmFixture {
  const w = worker("w-03", "render-03");
  return {
    workers: [w],
    jobs: [job(JOB, { name: "shot_010", updated: ago(900) })],
    tasks: {
      [JOB]: [
        task("t-0011", 1, {
          name: "render-0011-0020",
          status: "active",
          updated: ago(15),
          worker: ref(w),
        }),
      ],
    },
  };
}

/** Polls every minute for `minutes`, the task's `updated` still moving. */
async function pollFor(h: Harness, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    h.advance(60);
    for (const t of h.farm.tasks?.[JOB] ?? [])
      t.updated = ago(15, h.fake.nowMs);
    h.farm.workers[0]!.last_seen = ago(5, h.fake.nowMs);
    await h.poll();
  }
}

describe("exporter problem detection", () => {
  it("flags a task active without progress for 40 minutes while its worker heartbeats", async () => {
    h = await startHarness(hungBlender());
    await h.poll();
    await pollFor(h, 40);

    const [stalled] = h.exporter.view().problems.stalledTasks;
    expect(stalled).toMatchObject({
      jobId: JOB,
      taskId: "t-0011",
      worker: "render-03",
    });
    expect(stalled!.noProgressSeconds).toBeGreaterThanOrEqual(2400);
    const up = { worker_id: "w-03", status: "awake" };
    expect(await h.value("flamenco_worker_status", up)).toBe(1);
    expect(await h.value("flamenco_tasks_stalled")).toBe(1);
  });

  it("does not flag a task without progress for less than the minimum", async () => {
    h = await startHarness(hungBlender());
    await h.poll();
    await pollFor(h, 20);
    expect(h.exporter.view().problems.stalledTasks).toEqual([]);
  });

  it("waits three median task times before flagging when siblings took long", async () => {
    const farm = hungBlender();
    const w = farm.workers[0]!;
    farm.tasks![JOB]!.unshift(
      task("t-0001", 0, { status: "active", worker: ref(w), updated: ago(0) }),
    );
    h = await startHarness(farm);
    await h.poll();
    h.advance(20 * 60);
    Object.assign(farm.tasks![JOB]![0]!, {
      status: "completed",
      steps_completed: 1,
      updated: ago(0, h.fake.nowMs),
    });
    farm.jobs[0]!.updated = ago(0, h.fake.nowMs);
    await h.poll();
    await pollFor(h, 30);
    expect(h.exporter.view().problems.stalledTasks).toEqual([]);
    await pollFor(h, 12);
    expect(h.exporter.view().problems.stalledTasks).toHaveLength(1);
  });

  for (const status of ["pause-requested", "cancel-requested", "requeueing"]) {
    it(`flags a job stuck in ${status} with no active task`, async () => {
      const tasks = [
        ...Array.from({ length: 12 }, (_, i) => task(`q${i}`, i)),
        ...Array.from({ length: 28 }, (_, i) =>
          task(`c${i}`, 12 + i, { status: "completed", steps_completed: 1 }),
        ),
      ];
      h = await startHarness({
        workers: [worker("w-01", "render-01")],
        jobs: [
          job("j77", {
            name: "shot_020_lighting",
            status: status as "requeueing",
            updated: "2025-06-02T10:31:00Z",
          }),
        ],
        tasks: { j77: tasks },
      });
      await h.poll();
      expect(h.exporter.view().problems.stuckJobs).toEqual([
        {
          jobId: "j77",
          jobName: "shot_020_lighting",
          status,
          sinceSeconds: 5340,
        },
      ]);
      expect(
        await h.value("flamenco_job_stuck", { job_id: "j77", status }),
      ).toBe(1);
    });
  }

  it("does not flag a pause-requested job that still has an active task", async () => {
    const w = worker("w-01", "render-01");
    h = await startHarness({
      workers: [w],
      jobs: [job("j77", { status: "pause-requested", updated: ago(5400) })],
      tasks: { j77: [task("a", 0, { status: "active", worker: ref(w) })] },
    });
    await h.poll();
    expect(h.exporter.view().problems.stuckJobs).toEqual([]);
  });

  it("names a path mapping suspect when one job's blocklist holds only windows workers", async () => {
    const workers = [
      worker("w-01", "render-01"),
      worker("w-05", "render-05", { platform: "windows" }),
      worker("w-06", "render-06", { platform: "windows" }),
    ];
    h = await startHarness({
      workers,
      jobs: [job("j10", { name: "shot_010" })],
      tasks: {
        j10: [
          task("t1", 0, { status: "soft-failed", worker: ref(workers[1]!) }),
          task("t2", 1, { status: "active", worker: ref(workers[0]!) }),
        ],
      },
      blocklists: {
        j10: [
          { worker_id: "w-05", task_type: "blender", worker_name: "render-05" },
          { worker_id: "w-06", task_type: "blender", worker_name: "render-06" },
        ],
      },
    });
    await h.poll();
    expect(h.exporter.view().problems.pathMappingSuspects).toEqual([
      {
        jobId: "j10",
        jobName: "shot_010",
        platform: "windows",
        workers: ["render-05", "render-06"],
      },
    ]);
  });

  it("calls a job unservable when it has queued work and every worker sleeps", async () => {
    h = await startHarness({
      workers: [worker("w-01", "render-01", { status: "asleep" })],
      jobs: [job("j1", { status: "queued" })],
      tasks: { j1: [task("t1", 0)] },
    });
    await h.poll();
    expect(h.exporter.view().problems.unservableJobs).toEqual([
      { jobId: "j1", jobName: "job-j1", reason: "no worker awake" },
    ]);
  });

  it("calls a job unservable when every awake worker is blocklisted for it", async () => {
    h = await startHarness({
      workers: [worker("w-01", "render-01")],
      jobs: [job("j1", { status: "active" })],
      tasks: { j1: [task("t1", 0)] },
      blocklists: { j1: [{ worker_id: "w-01", task_type: "blender" }] },
    });
    await h.poll();
    expect(h.exporter.view().problems.unservableJobs).toEqual([
      {
        jobId: "j1",
        jobName: "job-j1",
        reason: "every awake worker is blocklisted",
      },
    ]);
  });
});
