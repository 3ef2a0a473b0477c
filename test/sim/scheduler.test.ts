import { afterEach, describe, expect, it } from "vitest";
import type { EventTaskUpdate } from "../../src/shared/flamenco/types.js";
import { call, startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim;

afterEach(async () => {
  await s.close();
});

function workerNamed(name: string) {
  const w = s.farm.findWorker(name);
  if (!w) throw new Error(`no worker ${name}`);
  return w;
}

describe("sim scheduler", () => {
  it("has workers take tasks and advance steps_completed", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 4 });
    s.advance(10);
    const job = [...s.farm.jobs.values()][0]!;
    expect(job.status).toBe("active");
    expect(job.tasks.filter((t) => t.status === "active")).toHaveLength(2);
    s.advance(600);
    expect(job.status).toBe("completed");
    expect(job.tasks.every((t) => t.stepsCompleted === t.stepsTotal)).toBe(
      true,
    );
  });

  it("puts a silent worker in error after worker_timeout (1 min)", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    s.advance(5);
    await call(s.url, "POST", "/sim/workers/render-01/stop-heartbeat");
    s.advance(55);
    expect(workerNamed("render-01").status).toBe("awake");
    s.advance(10);
    expect(workerNamed("render-01").status).toBe("error");
  });

  it("requeues the active task of a worker that timed out", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    s.advance(5);
    const silent = workerNamed("render-01");
    const taskId = silent.taskId!;
    const events: EventTaskUpdate[] = [];
    s.farm.events.on("task", (e) => events.push(e));
    await call(s.url, "POST", "/sim/workers/render-01/stop-heartbeat");
    s.advance(70);
    const requeue = events.find((e) => e.id === taskId);
    expect(requeue).toMatchObject({
      status: "queued",
      previous_status: "active",
      activity: "Task was requeued by Manager because worker timed out.",
    });
  });

  it("brings a worker back to awake when it heartbeats again", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    await call(s.url, "POST", "/sim/workers/render-02/stop-heartbeat");
    s.advance(120);
    await call(s.url, "POST", "/sim/workers/render-02/resume");
    s.advance(5);
    expect(workerNamed("render-02").status).toBe("awake");
  });

  it("keeps a hung task active: the worker still touches it", async () => {
    s = await startTestSim({ workers: 2, jobs: 1, framesPerJob: 2 });
    s.advance(5);
    const taskId = workerNamed("render-01").taskId!;
    await call(s.url, "POST", `/sim/tasks/${taskId}/hang`);
    s.advance(30 * 60);
    const task = s.farm.tasks.get(taskId)!;
    expect(task.status).toBe("active");
    expect(task.stepsCompleted).toBe(0);
    expect(workerNamed("render-01").status).toBe("awake");
  });

  it("fails a task untouched for task_timeout (10 min)", async () => {
    s = await startTestSim({ workers: 1, jobs: 1, framesPerJob: 2 });
    s.advance(5);
    const task = s.farm.tasks.get(workerNamed("render-01").taskId!)!;
    await call(s.url, "POST", `/sim/tasks/${task.id}/hang`, { silent: true });
    s.advance(590);
    expect(task.status).toBe("active");
    s.advance(15);
    expect(task.status).toBe("failed");
    expect(task.activity).toMatch(/^Task timed out on worker render-01/);
  });

  it("puts a worker that signs off offline and requeues its task", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    s.advance(5);
    const taskId = workerNamed("render-01").taskId!;
    await call(s.url, "POST", "/sim/workers/render-01/sign-off");
    expect(workerNamed("render-01").status).toBe("offline");
    expect(s.farm.tasks.get(taskId)!.status).toBe("queued");
  });

  it("applies a requested status change", async () => {
    s = await startTestSim({ workers: 2, jobs: 1 });
    const w = workerNamed("render-02");
    const a = await call(
      s.url,
      "POST",
      `/api/v3/worker-mgt/workers/${w.id}/setstatus`,
      { status: "asleep", is_lazy: false },
    );
    expect(a.status).toBe(204);
    s.advance(5);
    expect(w.status).toBe("asleep");
    expect(w.statusChange).toBeUndefined();
  });

  it("applies a lazy status change only after the current task", async () => {
    s = await startTestSim({ workers: 1, jobs: 1, framesPerJob: 3 });
    s.advance(5);
    const w = workerNamed("render-01");
    const taskId = w.taskId!;
    await call(s.url, "POST", `/api/v3/worker-mgt/workers/${w.id}/setstatus`, {
      status: "asleep",
      is_lazy: true,
    });
    s.advance(5);
    expect(w.status).toBe("awake");
    expect(w.statusChange).toEqual({ status: "asleep", is_lazy: true });
    s.advance(60);
    expect(s.farm.tasks.get(taskId)!.status).toBe("completed");
    expect(w.status).toBe("asleep");
  });

  it("submits new jobs to keep the farm busy when asked", async () => {
    s = await startTestSim({
      workers: 4,
      jobs: 1,
      framesPerJob: 2,
      keepBusy: true,
    });
    s.advance(3600);
    // One job of 2 frames at a time, a new one every 2 min at most.
    expect(s.farm.jobs.size).toBeGreaterThan(10);
  });
});
