import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtp, type TestSmtp } from "../support/smtp.js";
import {
  healthyNode,
  startDemoFarm,
  type AlertsDemo,
} from "./demo-farm-support.js";

const CHAT = 6060;
let demo: AlertsDemo;
let smtp: TestSmtp;

const KINDS = [
  "FlamencoWorkerStalled",
  "FlamencoRenderHung",
  "FlamencoFramesFailed",
  "FarmwatchMountDown",
  "FarmwatchTailscaleDown",
];

beforeAll(async () => {
  smtp = await startSmtp({ tls: "none" });
  demo = await startDemoFarm({
    speed: 60,
    intervalSeconds: 0.5,
    chatId: CHAT,
    exporter: { stalledTaskMinSeconds: 300, failedTaskRetentionSeconds: 60 },
    alerts: {
      keepFiringForSeconds: 1,
      email: {
        smtp: { host: "127.0.0.1", port: smtp.port, requireTLS: false },
        to: ["ops@example.org"],
      },
      rules: {
        ...Object.fromEntries(KINDS.map((k) => [k, { forSeconds: 0 }])),
        FlamencoRenderHung: { forSeconds: 0, minNoProgressSeconds: 300 },
        FarmwatchAgentDown: { enabled: false },
      },
    },
  });
}, 30_000);

afterAll(async () => {
  await demo?.close();
  await smtp?.close();
});

/** How often `needle` appears in the chat and in the inbox. */
function seen(needle: string): [number, number] {
  const chat = demo.fake
    .botMessages(CHAT)
    .map((m) => m.text.split(needle).length - 1)
    .reduce((a, b) => a + b, 0);
  const mail = smtp.messages.filter((m) => m.includes(needle)).length;
  return [chat, mail];
}

async function until(what: string, check: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 900; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const post = async (path: string, body: unknown = {}) => {
  const r = await fetch(`${demo.simUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await r.json()) as Record<string, unknown>;
};

async function activeTask(): Promise<string> {
  const { jobs } = (await (
    await fetch(`${demo.simUrl}/api/v3/jobs`)
  ).json()) as {
    jobs: { id: string }[];
  };
  for (const j of jobs) {
    const { tasks } = (await (
      await fetch(`${demo.simUrl}/api/v3/jobs/${j.id}/tasks`)
    ).json()) as { tasks: { id: string; status: string }[] };
    const t = tasks.find((x) => x.status === "active");
    if (t) return t.id;
  }
  throw new Error("no active task on the demo farm");
}

/** Injects one fault; returns how to heal it. */
const FAULTS: Record<string, () => Promise<() => Promise<void>>> = {
  FlamencoWorkerStalled: async () => {
    await post("/sim/workers/render-02/stop-heartbeat");
    return async () => void (await post("/sim/workers/render-02/resume"));
  },
  FlamencoRenderHung: async () => {
    const r = await post(`/sim/tasks/${await activeTask()}/hang`);
    return async () =>
      void (await post(`/sim/workers/${String(r.worker)}/resume`));
  },
  FlamencoFramesFailed: async () => {
    const { jobs } = (await (
      await fetch(`${demo.simUrl}/api/v3/jobs`)
    ).json()) as {
      jobs: { id: string; status: string }[];
    };
    const j = jobs.find((x) => x.status === "active") ?? jobs[0]!;
    await post(`/sim/jobs/${j.id}/fail-frames`, { count: 2 });
    return async () => undefined;
  },
  FarmwatchMountDown: async () => {
    demo.node = {
      ...demo.node,
      mounts: [
        { mountpoint: "/mnt/render", state: "missing", up: false, hung: false },
      ],
    };
    return async () => void (demo.node = healthyNode());
  },
  FarmwatchTailscaleDown: async () => {
    demo.node = {
      ...demo.node,
      tailscale: {
        state: "NeedsLogin",
        up: false,
        mode: "tun",
        health: [],
        peers: [],
      },
    };
    return async () => void (demo.node = healthyNode());
  },
};

describe("alerts on the demo farm", () => {
  it.each(KINDS)(
    "delivers %s to Telegram and e-mail once, then its resolve",
    async (kind) => {
      const firing = `FIRING ${kind}`;
      const resolved = `RESOLVED ${kind}`;
      const before = [seen(firing), seen(resolved)];
      const more = (n: string, b: [number, number]) =>
        seen(n).every((x, i) => x > b[i]!);
      const heal = await FAULTS[kind]!();
      await until(`${kind} firing`, () => more(firing, before[0]!));
      await heal();
      await until(`${kind} resolved`, () => more(resolved, before[1]!));
      const after = seen(firing);
      expect(after.map((n, i) => n - before[0]![i]!)).toEqual([1, 1]);
    },
    120_000,
  );
});
