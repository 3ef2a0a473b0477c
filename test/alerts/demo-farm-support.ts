import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startAlerts } from "../../src/alerts/index.js";
import { startExporter } from "../../src/exporter/index.js";
import { ConfigSchema } from "../../src/shared/config/schema.js";
import { createLogger } from "../../src/shared/logger.js";
import type { RunningPart } from "../../src/shared/part.js";
import type { NodeSnapshot } from "../../src/shared/views.js";
import { startSim } from "../../src/sim/index.js";
import { startFakeBotApi, type FakeBotApi } from "../support/fake-bot-api.js";
import { tempDir } from "./fixtures.js";

/** A healthy render node as its agent would report it. */
export function healthyNode(node = "render-01"): NodeSnapshot {
  return {
    node,
    agentVersion: "demo",
    time: new Date().toISOString(),
    collectors: {},
    host: {
      cpuUtilizationRatio: 0.01,
      memoryAvailableBytes: 8e9,
      memoryTotalBytes: 16e9,
    },
    mounts: [{ mountpoint: "/mnt/render", state: "ok", up: true, hung: false }],
    gpus: [
      { id: "GPU-0", name: "demo GPU", vendor: "nvidia", utilizationRatio: 0 },
    ],
    tailscale: {
      state: "Running",
      up: true,
      mode: "tun",
      health: [],
      peers: [],
    },
  };
}

/** The demo farm of the alerts tests; see {@link startDemoFarm}. */
export interface AlertsDemo {
  simUrl: string;
  exporterUrl: string;
  alertsUrl: string;
  fake: FakeBotApi;
  /** render-01's snapshot; replace it to inject node faults. */
  node: NodeSnapshot;
  /** Agent URLs of render-01 to render-04. */
  agentUrls: string[];
  close(): Promise<void>;
}

/**
 * The simulated Manager at `speed`, the real exporter and alerts part on
 * 127.0.0.1, a fake agent for one node and a fake Bot API chat `chatId`.
 * `alerts` is merged into the alerts section (rules, e-mail).
 */
export async function startDemoFarm(o: {
  speed: number;
  intervalSeconds: number;
  chatId: number;
  alerts?: Record<string, unknown>;
  exporter?: Record<string, unknown>;
}): Promise<AlertsDemo> {
  const log = createLogger({ level: "silent" });
  const tmp = await tempDir();
  const parts: RunningPart[] = [];
  const demo = { node: healthyNode() } as AlertsDemo;
  // One fake agent serves every node under /<node>/api/v1/node.
  const agent = createServer((req, res) => {
    const node = (req.url ?? "").split("/")[1] ?? "";
    const snap = node === "render-01" ? demo.node : healthyNode(node);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(snap));
  });
  await new Promise<void>((r) => agent.listen(0, "127.0.0.1", r));
  const agentBase = `http://127.0.0.1:${(agent.address() as AddressInfo).port}`;
  const agents = [1, 2, 3, 4].map((i) => `${agentBase}/render-0${i}`);
  demo.fake = await startFakeBotApi();
  const local = { host: "127.0.0.1", port: 0 };
  const simConfig = ConfigSchema.parse({
    sim: { listen: local, workers: 4, jobs: 2, speed: o.speed },
  });
  const sim = await startSim({ config: simConfig, logger: log });
  parts.push(sim);
  const config = ConfigSchema.parse({
    manager: { url: sim.url },
    exporter: {
      listen: local,
      pollIntervalSeconds: o.intervalSeconds,
      ...o.exporter,
    },
    alerts: {
      listen: local,
      evaluateIntervalSeconds: o.intervalSeconds,
      stateDir: tmp.dir,
      agents,
      telegram: {
        token: demo.fake.token,
        apiRoot: demo.fake.url,
        chatIds: [o.chatId],
      },
      bot: { enabled: false },
      ...o.alerts,
    },
  });
  const exporter = await startExporter({ config, logger: log });
  parts.push(exporter);
  const alertsConfig = ConfigSchema.parse({
    ...config,
    alerts: { ...config.alerts, exporterUrl: exporter.url },
  });
  const alerts = await startAlerts({ config: alertsConfig, logger: log });
  parts.push(alerts);
  Object.assign(demo, {
    agentUrls: agents,
    simUrl: sim.url,
    exporterUrl: exporter.url,
    alertsUrl: alerts.url,
    async close() {
      for (const p of parts.reverse()) await p.close();
      await new Promise((r) => agent.close(r));
      await demo.fake.close();
      await tmp.cleanup();
    },
  });
  return demo;
}
