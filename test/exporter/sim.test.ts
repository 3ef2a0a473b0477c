import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { Exporter } from "../../src/exporter/exporter.js";
import { startExporter } from "../../src/exporter/index.js";
import { ConfigSchema } from "../../src/shared/config/schema.js";
import { createLogger } from "../../src/shared/logger.js";
import type { RunningPart } from "../../src/shared/part.js";
import type { FarmView, HttpSdGroup } from "../../src/shared/views.js";
import { startTestSim, type TestSim } from "../support/sim.js";
import { seriesValue, testConfig } from "./harness.js";

let sim: TestSim | undefined;
let part: RunningPart | undefined;
let exporter: Exporter | undefined;
afterEach(async () => {
  await part?.close();
  await exporter?.stop();
  await sim?.close();
  [sim, part, exporter] = [undefined, undefined, undefined];
});

async function control(path: string, body: unknown = {}): Promise<unknown> {
  const res = await fetch(`${sim!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return res.json();
}

function exporterOn(url: string): Exporter {
  exporter = new Exporter({
    config: testConfig(),
    managerUrl: url,
    logger: createLogger({ level: "silent" }),
    registry: new Registry(),
  });
  return exporter;
}

describe("exporter against the simulated Manager", () => {
  it("shows a frame failed in the simulator in the next poll's farm view", async () => {
    sim = await startTestSim({ workers: 4, jobs: 2 });
    const e = exporterOn(sim.url);
    sim.advance(40);
    await e.pollOnce();
    const jobId = e.view().jobs.find((j) => j.status === "active")!.id;
    await control(`/sim/jobs/${jobId}/fail-frames`, {
      count: 1,
      logTail: "Error: Cannot read file\nBlender quit",
    });
    await e.pollOnce();

    const [failed] = e.view().failedTasks;
    expect(failed).toMatchObject({ jobId, logTail: expect.any(Array) });
    expect(failed!.logTail.join("\n")).toContain("Cannot read file");
  });

  it("drops a worker deleted in the simulator from the farm view", async () => {
    sim = await startTestSim({ workers: 4, jobs: 1 });
    const e = exporterOn(sim.url);
    await e.pollOnce();
    const victim = e.view().workers[3]!;
    await control(`/sim/workers/${victim.id}/sign-off`);
    await control(`/sim/workers/${victim.id}/delete`);
    await e.pollOnce();
    expect(e.view().workers.map((w) => w.id)).not.toContain(victim.id);
  });

  it("lists jobs of a 3.5 simulated Manager through the job query", async () => {
    sim = await startTestSim({ managerVersion: "3.5.1", jobs: 3 });
    const e = exporterOn(sim.url);
    await e.pollOnce();
    expect(e.client.usesJobsQuery).toBe(true);
    expect(e.view().jobs).toHaveLength(3);
  });

  it("reads a 3.4 Manager without step counts or farm status as spec issues", async () => {
    sim = await startTestSim({ managerVersion: "3.4", jobs: 2 });
    const e = exporterOn(sim.url);
    sim.advance(120);
    await e.pollOnce();
    await e.pollOnce();
    const metrics = await e.metrics();
    expect(metrics).not.toMatch(/^flamenco_api_validation_errors_total\{/m);
    expect(metrics).not.toContain('endpoint="/api/v3/status"');
    expect(e.view().jobs.some((j) => j.progressRatio > 0)).toBe(true);
  });

  it("serves metrics, farm view and http_sd over HTTP", async () => {
    sim = await startTestSim({ workers: 3, jobs: 1 });
    const config = ConfigSchema.parse({
      manager: { url: sim.url },
      exporter: { listen: { host: "127.0.0.1", port: 0 } },
    });
    part = await startExporter({
      config,
      logger: createLogger({ level: "silent" }),
    });
    const get = (p: string) =>
      fetch(`${part!.url}${p}`, { signal: AbortSignal.timeout(5000) });
    let health = await get("/healthz");
    for (let i = 0; i < 50 && health.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      health = await get("/healthz");
    }
    const metrics = await (await get("/metrics")).text();
    const farm = (await (await get("/api/v1/farm")).json()) as FarmView;
    const sd = (await (await get("/api/v1/sd/agents")).json()) as HttpSdGroup[];

    expect(health.status).toBe(200);
    expect(seriesValue(metrics, "flamenco_up")).toBe(1);
    expect(metrics).not.toMatch(/^flamenco_api_validation_errors_total\{/m);
    expect(farm.workers).toHaveLength(3);
    expect(sd.map((g) => g.labels["node"]).sort()).toEqual(
      farm.workers.map((w) => w.name).sort(),
    );
  });
});

describe("exporter against a fast simulated farm", () => {
  it("counts a soft failure whose task another worker took before the next poll", async () => {
    sim = await startTestSim({ workers: 6, jobs: 1, seed: 3 });
    const e = exporterOn(sim.url);
    sim.advance(40);
    await e.pollOnce();
    const job = e.view().jobs.find((j) => j.status === "active")!;
    const before = e.view().workers.map((w) => [w.name, w.tasksFailed]);
    await control(`/sim/jobs/${job.id}/fail-frames`, { count: 1 });
    sim.advance(120);
    await e.pollOnce();

    const failed = e.view().failedTasks.filter((f) => f.jobId === job.id);
    const after = e.view().workers.map((w) => [w.name, w.tasksFailed]);
    expect(failed.map((f) => f.status)).toEqual(["soft-failed"]);
    expect(after).not.toEqual(before);
  });
  it("counts no failure for a task that moved on because its worker went silent", async () => {
    sim = await startTestSim({ workers: 6, jobs: 1, seed: 3 });
    const e = exporterOn(sim.url);
    sim.advance(40);
    await e.pollOnce();
    const busy = e.view().workers.find((w) => w.currentTask)!;
    await control(`/sim/workers/${busy.id}/stop-heartbeat`);
    sim.advance(150);
    await e.pollOnce();

    expect(e.view().failedTasks).toEqual([]);
    expect(e.view().workers.map((w) => w.tasksFailed)).toEqual(
      e.view().workers.map(() => 0),
    );
  });
});
