import { Bot } from "grammy";
import type { FarmView, NodeSnapshot } from "../src/shared/views.js";
import {
  startDemoFarm,
  type AlertsDemo,
} from "../test/alerts/demo-farm-support.js";
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
const FAULTS: [string, (demo: AlertsDemo) => Promise<void>][] = [
  [
    "FlamencoWorkerStalled",
    async (d) =>
      void (await post(`${d.simUrl}/sim/workers/render-02/stop-heartbeat`)),
  ],
  [
    "FlamencoFramesFailed",
    async (d) => {
      const { jobs } = await getJson<{
        jobs: { id: string; status: string }[];
      }>(`${d.simUrl}/api/v3/jobs`);
      const j = jobs.find((x) => x.status === "active") ?? jobs[0]!;
      await post(`${d.simUrl}/sim/jobs/${j.id}/fail-frames`, { count: 3 });
    },
  ],
  [
    "FlamencoRenderHung",
    async (d) => {
      const id = await activeTask(d.simUrl);
      if (id !== undefined) await post(`${d.simUrl}/sim/tasks/${id}/hang`);
    },
  ],
  [
    "FarmwatchMountDown",
    async (d) => {
      d.node = {
        ...d.node,
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
    async (d) => {
      d.node = {
        ...d.node,
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
  const naive = await startFakeBotApi();
  const forZero = Object.fromEntries(
    FAULTS.map(([r]) => [r, { forSeconds: 0 }]),
  );
  const demo = await startDemoFarm({
    speed: SPEED,
    intervalSeconds: INTERVAL_S,
    chatId: CHAT,
    exporter: { stalledTaskMinSeconds: 300 },
    alerts: {
      rules: {
        ...forZero,
        FlamencoRenderHung: { forSeconds: 0, minNoProgressSeconds: 300 },
        FarmwatchAgentDown: { enabled: false },
      },
    },
  });
  const naiveBot = new Bot(naive.token, { client: { apiRoot: naive.url } });
  const stopNaive = startNaive(demo.exporterUrl, demo.agentUrls[0]!, naiveBot);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const measures: BenchMeasure[] = [];
    for (const [rule, inject] of FAULTS) {
      const t0 = Date.now();
      await inject(demo);
      const [a, b] = await waitBoth(demo.fake, naive, rule, t0);
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
      subject: calls(demo.fake),
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
          `simulator at ${SPEED}x, 4 workers; exporter and alerts every ` +
            `${INTERVAL_S} s; for = 0 on measured rules`,
          "worker stalled includes the Manager's 60 s worker timeout in " +
            "farm time; hung render waits 300 s farm time without progress",
          "NaN: no message within 60 s",
        ],
      },
    ];
  } finally {
    stopNaive();
    await demo.close();
    await naive.close();
  }
}
