import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startAlerts } from "../../src/alerts/index.js";
import type { RunningPart } from "../../src/shared/part.js";
import { farm, job, makeConfig, quietLogger, tempDir } from "./fixtures.js";

let part: RunningPart | undefined;
let exporter: Server | undefined;
let tmp: Awaited<ReturnType<typeof tempDir>> | undefined;
afterEach(async () => {
  await part?.close();
  await new Promise((r) => exporter?.close(r) ?? r(undefined));
  await tmp?.cleanup();
  part = exporter = tmp = undefined;
});

async function start(extra: Record<string, unknown> = {}) {
  tmp = await tempDir();
  exporter = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        req.url === "/api/v1/farm"
          ? farm({ jobs: [job({ status: "failed" })] })
          : [],
      ),
    );
  });
  await new Promise<void>((r) => exporter!.listen(0, "127.0.0.1", r));
  const config = makeConfig({
    manager: { url: "http://127.0.0.1:1" },
    alerts: {
      listen: { host: "127.0.0.1", port: 0 },
      exporterUrl: `http://127.0.0.1:${(exporter.address() as AddressInfo).port}`,
      stateDir: tmp.dir,
      evaluateIntervalSeconds: 0.2,
      ...extra,
    },
  });
  part = await startAlerts({ config, logger: quietLogger() });
  return part.url;
}

const payload = {
  version: "4",
  groupKey: '{}:{alertname="FarmwatchMountHung"}',
  status: "firing",
  receiver: "farmwatch",
  groupLabels: { alertname: "FarmwatchMountHung" },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: "http://127.0.0.1:9093",
  alerts: [
    {
      status: "firing",
      labels: {
        alertname: "FarmwatchMountHung",
        severity: "critical",
        node: "render-03",
      },
      annotations: {
        summary: "A shared mount hangs",
        description: "/mnt/render on render-03 hangs",
      },
      startsAt: "2025-06-02T11:55:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      fingerprint: "abc",
    },
  ],
};

async function outbox(): Promise<{ alertname: string; origin: string }[]> {
  const text = await readFile(join(tmp!.dir, "outbox.jsonl"), "utf8").catch(
    () => "",
  );
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition never held");
}

describe("alerts HTTP API", () => {
  it("delivers an Alertmanager webhook once even when Alertmanager retries it", async () => {
    const url = await start();
    const post = () =>
      fetch(`${url}/api/v1/alertmanager`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
      }).then((r) => r.json());
    expect(await post()).toEqual({ accepted: 1, duplicate: false });
    expect(await post()).toEqual({ accepted: 0, duplicate: true });
    await until(async () =>
      (await outbox()).some((l) => l.origin === "alertmanager"),
    );
    expect(
      (await outbox()).filter((l) => l.origin === "alertmanager"),
    ).toHaveLength(1);
  });

  it("refuses a webhook payload of another version with 400", async () => {
    const url = await start();
    const r = await fetch(`${url}/api/v1/alertmanager`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...payload, version: "3" }),
    });
    expect(r.status).toBe(400);
  });

  it("lists firing alerts at /api/v1/alerts", async () => {
    const url = await start();
    await until(async () => (await outbox()).length > 0);
    const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as {
      alerts: { name: string; state: string }[];
    };
    expect(body.alerts.map((a) => `${a.state} ${a.name}`)).toEqual([
      "firing FlamencoJobFailed",
    ]);
  });

  it("sets, lists and ends a silence over HTTP", async () => {
    const url = await start();
    const r = await fetch(`${url}/api/v1/silences`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        matcher: { node: "render-03" },
        durationSeconds: 600,
        reason: "GPU swap",
      }),
    });
    const s = (await r.json()) as { id: string };
    const listed = (await (await fetch(`${url}/api/v1/silences`)).json()) as {
      silences: { id: string; reason: string }[];
    };
    const del = await fetch(`${url}/api/v1/silences/${s.id}`, {
      method: "DELETE",
    });
    const after = (await (await fetch(`${url}/api/v1/silences`)).json()) as {
      silences: unknown[];
    };
    expect([
      r.status,
      listed.silences.map((x) => x.reason),
      del.status,
      after.silences,
    ]).toEqual([201, ["GPU swap"], 204, []]);
  });

  it("exports notification, queue, evaluation and scheduler metrics", async () => {
    const url = await start();
    await until(async () => (await outbox()).length > 0);
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const series of [
      'farmwatch_alerts_notifications_total{channel="outbox",outcome="sent"} 1',
      'farmwatch_alerts_queue_length{channel="telegram"} 0',
      "farmwatch_alerts_evaluation_success 1",
      'farmwatch_scheduler_last_success_timestamp_seconds{job="alerts_evaluate"}',
      'farmwatch_scrape_collector_success{collector="farm"} 1',
    ]) {
      expect(text).toContain(series);
    }
  });
});

describe("alerts HTTP API deliveries", () => {
  it("shows the delivery queue without chat ids or addresses", async () => {
    const url = await start({
      telegram: {
        token: "123:fake",
        apiRoot: "http://127.0.0.1:1",
        chatIds: [987654],
      },
      bot: { enabled: false },
    });
    let text = "";
    await until(async () => {
      text = await (await fetch(`${url}/api/v1/deliveries`)).text();
      return (JSON.parse(text) as { queue: unknown[] }).queue.length > 0;
    });
    expect([text.includes("987654"), text.includes('"target"')]).toEqual([
      false,
      false,
    ]);
  });
});
