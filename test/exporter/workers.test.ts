import { afterEach, describe, expect, it } from "vitest";
import { ago, job, task, worker, type FarmFixture } from "./fixtures/farm.js";
import { seriesOf, startHarness, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function sixWorkers(): FarmFixture {
  return {
    workers: [1, 2, 3, 4, 5, 6].map((n) => worker(`w-0${n}`, `render-0${n}`)),
    jobs: [],
  };
}

describe("exporter worker series", () => {
  it("drops every series of a worker deleted from the Manager", async () => {
    h = await startHarness(sixWorkers());
    await h.poll();
    expect(await h.metrics()).toContain('worker_id="w-06"');

    h.farm.workers.pop();
    await h.poll();
    const text = await h.metrics();
    expect(text).not.toContain('worker_id="w-06"');
    expect(await h.value("flamenco_workers", { status: "awake" })).toBe(5);
  });

  it("keeps two workers sharing a name apart by worker_id", async () => {
    h = await startHarness({
      workers: [
        worker("w-01", "render-01"),
        worker("w-02", "render-01", { status: "asleep" }),
      ],
      jobs: [],
    });
    await h.poll();
    const text = await h.metrics();
    expect(seriesOf(text, "flamenco_worker_info")).toHaveLength(2);
    expect(
      await h.value("flamenco_worker_status", {
        worker_id: "w-02",
        status: "asleep",
      }),
    ).toBe(1);
    expect(h.exporter.view().workers.map((w) => w.id)).toEqual([
      "w-01",
      "w-02",
    ]);
  });

  it("measures last-seen age by the Manager's clock despite 10 minutes of skew", async () => {
    const farm = sixWorkers();
    farm.workers[0]!.last_seen = ago(5);
    h = await startHarness(farm, { skewSeconds: 600 });
    await h.poll();
    expect(
      await h.value("flamenco_worker_last_seen_age_seconds", {
        worker_id: "w-01",
      }),
    ).toBe(5);
  });

  it("never lowers a worker's task counters when a job is deleted", async () => {
    const w = worker("w-01", "render-01");
    const ref = { id: w.id, name: w.name, address: w.ip_address };
    const farm: FarmFixture = {
      workers: [w],
      jobs: [job("j1", { updated: ago(60) })],
      tasks: { j1: [task("t1", 0, { status: "active", worker: ref })] },
    };
    h = await startHarness(farm);
    await h.poll();

    farm.jobs[0]!.updated = ago(0);
    farm.tasks!["j1"]![0]!.status = "completed";
    h.advance(10);
    await h.poll();
    const labels = { worker_id: "w-01" };
    const name = "flamenco_worker_tasks_completed_total";
    expect(await h.value(name, labels)).toBe(1);

    farm.jobs = [];
    h.advance(10);
    await h.poll();
    expect(await h.value(name, labels)).toBe(1);
  });

  it("shows each worker's current task and job in the farm view", async () => {
    const w = worker("w-01", "render-01");
    const ref = { id: w.id, name: w.name, address: w.ip_address };
    h = await startHarness({
      workers: [w],
      jobs: [job("j1", { name: "shot_010" })],
      tasks: { j1: [task("t1", 0, { status: "active", worker: ref })] },
    });
    await h.poll();
    expect(h.exporter.view().workers[0]?.currentTask).toEqual({
      id: "t1",
      name: "render-1-10",
      jobId: "j1",
      jobName: "shot_010",
    });
  });

  it("lists an agent target for every worker address plus configured extras", async () => {
    h = await startHarness(
      { workers: [worker("w-01", "render-01")], jobs: [] },
      { exporter: { agentPort: 9790, extraAgents: ["127.0.0.2:9790"] } },
    );
    await h.poll();
    expect(h.exporter.view().agents).toEqual([
      { node: "render-01", url: "http://127.0.0.11:9790" },
      { node: "127.0.0.2", url: "http://127.0.0.2:9790" },
    ]);
  });

  it("keeps an offline worker's info series and agent target so an absent agent stays visible", async () => {
    const farm = sixWorkers();
    h = await startHarness(farm);
    await h.poll();
    farm.workers[2]!.status = "offline";
    await h.poll();
    const labels = { worker: "render-03", platform: "linux" };
    expect(await h.value("flamenco_worker_info", labels)).toBe(1);
    expect(h.exporter.view().agents.map((a) => a.node)).toContain("render-03");
  });
});
