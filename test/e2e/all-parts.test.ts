import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startPrometheus,
  waitFor,
  type RunningPrometheus,
} from "../support/prometheus.js";
import { readOutbox } from "./demo-actions.js";
import { startDemoFarm, type DemoFarm } from "./farm.js";
import { threePartsConfig } from "./prometheus-config.js";

/** The simulated worker whose heartbeat the test stops. */
const WORKER = "render-03";
const RULE = "FlamencoWorkerStalled";

let farm: DemoFarm;
let prom: RunningPrometheus;

/** Whether a line after the first `skip` is RULE for WORKER in `status`. */
async function outboxHas(status: string, skip: number): Promise<boolean> {
  return (await readOutbox(farm))
    .slice(skip)
    .some(
      (n) =>
        n.alertname === RULE &&
        n.status === status &&
        n.alerts.some((a) => a.labels.worker === WORKER),
    );
}

async function simControl(action: string): Promise<void> {
  const res = await fetch(`${farm.urls.sim}/sim/workers/${WORKER}/${action}`, {
    method: "POST",
  });
  expect(res.status, `POST /sim/workers/${WORKER}/${action}`).toBe(200);
}

describe("farmwatch all on the demo farm, scraped by Prometheus", () => {
  beforeAll(async () => {
    farm = await startDemoFarm({
      alerts: {
        // Seconds instead of the production minutes, so that one run
        // fires and resolves: the rule itself is unchanged.
        keepFiringForSeconds: 1,
        rules: { [RULE]: { forSeconds: 2 } },
      },
    });
    prom = await startPrometheus({ config: threePartsConfig(farm.ports) });
  }, 180_000);

  afterAll(async () => {
    await prom?.stop();
    await farm?.stop();
  }, 30_000);

  it("sees up == 1 for the agent, the exporter and the alerts part", async () => {
    const jobs = await waitFor(
      "up == 1 for three jobs",
      async () => {
        const r = await prom.query("up == 1");
        const names = r.samples.map((s) => s.metric.job).sort();
        return names.length === 3 ? names : undefined;
      },
      60_000,
    );
    expect(jobs).toEqual([
      "farmwatch-agent",
      "farmwatch-alerts",
      "farmwatch-exporter",
    ]);
  }, 90_000);

  it("has flamenco_workers series from the exporter", async () => {
    const samples = await waitFor(
      "flamenco_workers series",
      async () => {
        const r = await prom.query("flamenco_workers");
        return r.samples.length > 0 ? r.samples : undefined;
      },
      60_000,
    );
    const total = samples.reduce((sum, s) => sum + Number(s.value[1]), 0);
    expect(total).toBeGreaterThan(0);
  }, 90_000);

  it("delivers the worker alert to the outbox when a worker stops heartbeating, and resolves it when it resumes", async () => {
    const before = (await readOutbox(farm)).length;
    await simControl("stop-heartbeat");
    await waitFor(
      `${RULE} firing for ${WORKER} in the outbox`,
      async () => ((await outboxHas("firing", before)) ? true : undefined),
      60_000,
    );

    const fired = (await readOutbox(farm)).length;
    await simControl("resume");
    await waitFor(
      `${RULE} resolved for ${WORKER} in the outbox`,
      async () => ((await outboxHas("resolved", fired)) ? true : undefined),
      60_000,
    );
  }, 150_000);
});
