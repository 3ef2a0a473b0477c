import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  shippedAlertmanagerConfig,
  startAlertmanager,
  type RunningAlertmanager,
} from "../e2e/alertmanager.js";
import { waitFor } from "../support/prometheus.js";

/** Nothing listens here: deliveries fail on loopback, which is fine. */
const CLOSED_PORT = 9;

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

let am: RunningAlertmanager;

async function post(alerts: Record<string, string>[]): Promise<void> {
  const startsAt = new Date().toISOString();
  const res = await fetch(`http://${am.address}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(alerts.map((labels) => ({ labels, startsAt }))),
  });
  expect(res.status).toBe(200);
}

/** The alerts Alertmanager holds, once it holds `count` of them. */
async function held(count: number): Promise<AmAlert[]> {
  return await waitFor(
    `${count} alerts in Alertmanager`,
    async () => {
      const res = await fetch(`http://${am.address}/api/v2/alerts`);
      const alerts = (await res.json()) as AmAlert[];
      return alerts.length === count ? alerts : undefined;
    },
    10_000,
    200,
  );
}

function stateOf(alerts: AmAlert[], alertname: string, node?: string) {
  const a = alerts.find(
    (x) =>
      x.labels.alertname === alertname &&
      (node === undefined || x.labels.node === node),
  );
  return a?.status.inhibitedBy.length ? "inhibited" : a?.status.state;
}

describe("alertmanager.yml inhibition, on a real Alertmanager", () => {
  beforeAll(async () => {
    am = await startAlertmanager(await shippedAlertmanagerConfig(CLOSED_PORT));
  }, 90_000);

  afterAll(async () => {
    await am?.stop();
  });

  it("hides Flamenco alerts while the Manager is down, and a node's farmwatch alerts while its agent is down", async () => {
    await post([
      { alertname: "FlamencoManagerDown", severity: "critical" },
      { alertname: "FlamencoWorkerStalled", severity: "warning", worker: "r1" },
      { alertname: "FarmwatchAgentDown", severity: "warning", node: "r2" },
      { alertname: "FarmwatchMountHung", severity: "critical", node: "r2" },
      { alertname: "FarmwatchMountHung", severity: "critical", node: "r3" },
    ]);
    const alerts = await held(5);
    expect(stateOf(alerts, "FlamencoManagerDown")).toBe("active");
    expect(stateOf(alerts, "FlamencoWorkerStalled")).toBe("inhibited");
    expect(stateOf(alerts, "FarmwatchAgentDown")).toBe("active");
    expect(stateOf(alerts, "FarmwatchMountHung", "r2")).toBe("inhibited");
    expect(stateOf(alerts, "FarmwatchMountHung", "r3")).toBe("active");
  }, 30_000);
});
