import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot } from "grammy";
import { startAlerts } from "../src/alerts/index.js";
import { startExporter } from "../src/exporter/index.js";
import { ConfigSchema } from "../src/shared/config/schema.js";
import { createLogger } from "../src/shared/logger.js";
import type { RunningPart } from "../src/shared/part.js";
import type { FarmView, NodeSnapshot } from "../src/shared/views.js";
import { startSim } from "../src/sim/index.js";
import {
  startFakeBotApi,
  type FakeBotApi,
} from "../test/support/fake-bot-api.js";
import type { BenchMeasure, BenchResult } from "./types.js";

/**
 * Time from an injected fault to the Telegram message, per rule kind, on
 * the simulated Manager at SPEED with the real exporter and alerts part,
 * and for a naive notifier polling the same views at the same interval
 * and sending one message per new event. `for` is 0 for the measured
 * rules, so the figures are the pipeline's own delay.
 */

const SPEED = 60;
const INTERVAL_S = 0.5;
const CHAT = 5150;
const LIMIT_MS = 60_000;
const log = createLogger({ level: "silent" });

let nodeState: NodeSnapshot;
function healthyNode(): NodeSnapshot {
  return {
    node: "render-01",
    agentVersion: "bench",
    time: new Date().toISOString(),
    collectors: {},
    host: {
      cpuUtilizationRatio: 0.01,
      memoryAvailableBytes: 8e9,
      memoryTotalBytes: 16e9,
    },
    mounts: [{ mountpoint: "/mnt/render", state: "ok", up: true, hung: false }],
    gpus: [
      { id: "GPU-0", name: "bench GPU", vendor: "nvidia", utilizationRatio: 0 },
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

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  return (await (await fetch(url, init)).json()) as T;
}

/** The naive peer: one message for every event key it has not seen. */
function startNaive(exporterUrl: string, agentUrl: string, bot: Bot) {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    void (async () => {
      const farm = await getJson<FarmView>(`${exporterUrl}/api/v1/farm`).catch(
        () => undefined,
      );
      const n = await getJson<NodeSnapshot>(`${agentUrl}/api/v1/node`).catch(
        () => undefined,
      );
      const keys: string[] = [];
      for (const w of farm?.workers ?? [])
        if (w.status === "error") keys.push(`FlamencoWorkerStalled ${w.name}`);
      for (const t of farm?.failedTasks ?? [])
        keys.push(`FlamencoFramesFailed ${t.taskId}`);
      for (const t of farm?.problems.stalledTasks ?? [])
        keys.push(`FlamencoRenderHung ${t.taskId}`);
      for (const m of n?.mounts ?? [])
        if (!m.up) keys.push(`FarmwatchMountDown ${m.mountpoint}`);
      if (n?.tailscale && !n.tailscale.up) keys.push("FarmwatchTailscaleDown");
      for (const k of keys) {
        if (seen.has(k)) continue;
        seen.add(k);
        await bot.api.sendMessage(CHAT, k).catch(() => undefined);
      }
    })();
  }, INTERVAL_S * 1000);
  return () => clearInterval(timer);
}

function firstMessageAt(
  fake: FakeBotApi,
  rule: string,
  after: number,
): number | undefined {
  const c = fake.calls.find(
    (x) =>
      x.method === "sendMessage" &&
      x.status === 200 &&
      x.at >= after &&
      String(x.params.text).includes(rule),
  );
  return c?.at;
}

async function waitBoth(
  a: FakeBotApi,
  b: FakeBotApi,
  rule: string,
  t0: number,
) {
  const end = Date.now() + LIMIT_MS;
  while (Date.now() < end) {
    const x = firstMessageAt(a, rule, t0);
    const y = firstMessageAt(b, rule, t0);
    if (x !== undefined && y !== undefined) return [x - t0, y - t0];
    await new Promise((r) => setTimeout(r, 50));
  }
  return [
    firstMessageAt(a, rule, t0) ?? NaN,
    firstMessageAt(b, rule, t0) ?? NaN,
  ].map((v) => v - t0);
}

async function activeTask(sim: string): Promise<string | undefined> {
  const { jobs } = await getJson<{ jobs: { id: string }[] }>(
    `${sim}/api/v3/jobs`,
  );
  for (const j of jobs) {
    const { tasks } = await getJson<{
      tasks: { id: string; status: string }[];
    }>(`${sim}/api/v3/jobs/${j.id}/tasks`);
    const t = tasks.find((x) => x.status === "active");
    if (t) return t.id;
  }
  return undefined;
}

const post = (url: string, body: unknown = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Faults in order; each returns when injected. */
const FAULTS: [string, (sim: string) => Promise<void>][] = [
  [
    "FlamencoWorkerStalled",
    async (sim) =>
      void (await post(`${sim}/sim/workers/render-02/stop-heartbeat`)),
  ],
  [
    "FlamencoFramesFailed",
    async (sim) => {
      const { jobs } = await getJson<{
        jobs: { id: string; status: string }[];
      }>(`${sim}/api/v3/jobs`);
      const j = jobs.find((x) => x.status === "active") ?? jobs[0]!;
      await post(`${sim}/sim/jobs/${j.id}/fail-frames`, { count: 3 });
    },
  ],
  [
    "FlamencoRenderHung",
    async (sim) => {
      const id = await activeTask(sim);
      if (id !== undefined) await post(`${sim}/sim/tasks/${id}/hang`);
    },
  ],
  [
    "FarmwatchMountDown",
    async () => {
      nodeState = {
        ...nodeState,
        mounts: [
          {
            mountpoint: "/mnt/render",
            state: "missing",
            up: false,
            hung: false,
          },
        ],
      };
    },
  ],
  [
    "FarmwatchTailscaleDown",
    async () => {
      nodeState = {
        ...nodeState,
        tailscale: {
          state: "NeedsLogin",
          up: false,
          mode: "tun",
          health: [],
          peers: [],
        },
      };
    },
  ],
];

export default async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "fw-alerts-lat-"));
  nodeState = healthyNode();
  const agent = createServer((_q, res) =>
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(nodeState)),
  );
  const agentUrl = await listen(agent);
  const fw = await startFakeBotApi();
  const naive = await startFakeBotApi();
  const parts: RunningPart[] = [];
  let stopNaive = () => undefined as void;
  try {
    const local = { host: "127.0.0.1", port: 0 };
    const base = ConfigSchema.parse({
      sim: { listen: local, workers: 4, jobs: 2, speed: SPEED },
    });
    const sim = await startSim({ config: base, logger: log });
    parts.push(sim);
    const forZero = Object.fromEntries(
      FAULTS.map(([r]) => [r, { forSeconds: 0 }]),
    );
    const config = ConfigSchema.parse({
      manager: { url: sim.url },
      exporter: {
        listen: local,
        pollIntervalSeconds: INTERVAL_S,
        stalledTaskMinSeconds: 300,
      },
      alerts: {
        listen: local,
        evaluateIntervalSeconds: INTERVAL_S,
        stateDir: dir,
        agents: [agentUrl],
        telegram: { token: fw.token, apiRoot: fw.url, chatIds: [CHAT] },
        bot: { enabled: false },
        rules: {
          ...forZero,
          FlamencoRenderHung: { forSeconds: 0, minNoProgressSeconds: 300 },
          FarmwatchAgentDown: { enabled: false },
        },
      },
    });
    const exporter = await startExporter({ config, logger: log });
    parts.push(exporter);
    parts.push(
      await startAlerts({
        config: ConfigSchema.parse({
          ...config,
          alerts: { ...config.alerts, exporterUrl: exporter.url },
        }),
        logger: log,
      }),
    );
    stopNaive = startNaive(
      exporter.url,
      agentUrl,
      new Bot(naive.token, { client: { apiRoot: naive.url } }),
    );
    await new Promise((r) => setTimeout(r, 3000));
    const measures: BenchMeasure[] = [];
    for (const [rule, inject] of FAULTS) {
      const t0 = Date.now();
      await inject(sim.url);
      const [a, b] = await waitBoth(fw, naive, rule, t0);
      measures.push({
        name: `fault to message: ${rule}`,
        unit: "ms",
        subject: Math.round(a!),
        peer: Math.round(b!),
        lowerIsBetter: true,
      });
    }
    const calls = (f: FakeBotApi) =>
      f.calls.filter((c) => c.method === "sendMessage").length;
    measures.push({
      name: "Telegram calls, whole run",
      unit: "calls",
      subject: calls(fw),
      peer: calls(naive),
      lowerIsBetter: true,
    });
    return [
      {
        name: "alerts: fault to delivered message on the simulator",
        subject: "farmwatch alerts",
        peer: "naive poller, one message per event",
        measures,
        notes: [
          `simulator at ${SPEED}x, 4 workers; exporter and alerts every ${INTERVAL_S} s; for = 0 on measured rules`,
          "worker stalled includes the Manager's 60 s worker timeout in farm time; hung render waits 300 s farm time without progress",
          "NaN: no message within 60 s",
        ],
      },
    ];
  } finally {
    stopNaive();
    for (const p of parts.reverse()) await p.close();
    await new Promise((r) => agent.close(r));
    await fw.close();
    await naive.close();
    await rm(dir, { recursive: true, force: true });
  }
}
