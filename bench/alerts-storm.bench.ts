import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot } from "grammy";
import { OutboxChannel } from "../src/alerts/channels/outbox.js";
import {
  defaultRequeueButton,
  TelegramChannel,
} from "../src/alerts/channels/telegram.js";
import type { Views } from "../src/alerts/fetch-views.js";
import type { Channel, ChannelName } from "../src/alerts/queue.js";
import { AlertsService } from "../src/alerts/service.js";
import { ConfigSchema } from "../src/shared/config/schema.js";
import { createLogger } from "../src/shared/logger.js";
import type { FailedTaskView, FarmView } from "../src/shared/views.js";
import {
  startFakeBotApi,
  type FakeBotApi,
} from "../test/support/fake-bot-api.js";
import type { BenchResult } from "./types.js";

/**
 * A storm of 1,000 failed frames across 20 jobs, arriving over ten
 * evaluations, delivered by farmwatch and by a naive notifier that sends
 * one Telegram message per failed frame, both to the same fake Bot API.
 */

const JOBS = 20;
const FRAMES = 1000;
const WORKERS = 10;
const CYCLES = 10;
const CHAT = -100123;

function frames(upTo: number): FailedTaskView[] {
  return Array.from({ length: upTo }, (_, i) => ({
    jobId: `job-${i % JOBS}`,
    jobName: `shot_${String(i % JOBS).padStart(3, "0")}`,
    taskId: `task-${i}`,
    taskName: `frame-${i}`,
    frames: `f${String(i).padStart(4, "0")}`,
    status: "failed" as const,
    worker: `render-${String(Math.floor(i / JOBS) % WORKERS).padStart(2, "0")}`,
    failedAt: "2025-06-02T11:59:00Z",
    logTail: [
      "Error: out of GPU memory",
      "command exited abnormally with code 1",
    ],
  }));
}

function farmView(failedTasks: FailedTaskView[]): FarmView {
  return {
    time: new Date().toISOString(),
    managerUrl: "http://127.0.0.1:8080",
    up: true,
    stale: false,
    workers: [],
    jobs: [],
    failedTasks,
    problems: {
      stalledTasks: [],
      stuckJobs: [],
      unservableJobs: [],
      pathMappingSuspects: [],
    },
    agents: [],
  };
}

function delivered(fake: FakeBotApi): number {
  const text = fake
    .botMessages(CHAT)
    .map((m) => m.text)
    .join("\n");
  let n = 0;
  for (let i = 0; i < FRAMES; i++)
    if (text.includes(`f${String(i).padStart(4, "0")}`)) n += 1;
  return n;
}

async function runFarmwatch(fake: FakeBotApi, dir: string) {
  let now = Date.parse("2025-06-02T12:00:00Z");
  const config = ConfigSchema.parse({
    alerts: {
      stateDir: dir,
      telegram: { chatIds: [CHAT] },
      groupIntervalSeconds: 300,
    },
  });
  const logger = createLogger({ level: "silent" });
  const bot = new Bot(fake.token, { client: { apiRoot: fake.url } });
  const channels = new Map<ChannelName, Channel>([
    ["outbox", new OutboxChannel(dir, logger)],
    [
      "telegram",
      new TelegramChannel({
        bot,
        logger,
        maxMessageChars: 4000,
        requeueButton: defaultRequeueButton,
        blockedRetryMs: 900_000,
        onThrottled: () => undefined,
      }),
    ],
  ]);
  let current: Views = { farm: farmView([]), nodes: new Map(), agents: {} };
  const svc = new AlertsService({
    config,
    logger,
    now: () => now,
    fetch: async () => current,
    channels,
  });
  await svc.start();
  const start = performance.now();
  for (let c = 1; c <= CYCLES; c++) {
    current = { ...current, farm: farmView(frames((FRAMES / CYCLES) * c)) };
    now += 10_000;
    await svc.evaluate();
    await svc.deliver();
  }
  now += 300_000;
  await svc.evaluate();
  await svc.deliver();
  const ms = performance.now() - start;
  await svc.close();
  return { ms, queueLeft: svc.store.data.queue.length };
}

async function runNaive(fake: FakeBotApi) {
  const bot = new Bot(fake.token, { client: { apiRoot: fake.url } });
  const start = performance.now();
  for (const t of frames(FRAMES)) {
    await bot.api.sendMessage(
      CHAT,
      `🔴 ${t.jobName}: frame ${t.frames} failed on ${t.worker}\n${t.logTail.join("\n")}`,
    );
  }
  return { ms: performance.now() - start };
}

function sendCalls(fake: FakeBotApi): number {
  return fake.calls.filter((c) => c.method === "sendMessage").length;
}

export default async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "fw-alerts-bench-"));
  const fw = await startFakeBotApi();
  const naive = await startFakeBotApi();
  try {
    const a = await runFarmwatch(fw, dir);
    const b = await runNaive(naive);
    return [
      {
        name: "alerts storm: 1,000 failed frames across 20 jobs",
        subject: "farmwatch alerts",
        peer: "naive one message per event",
        measures: [
          {
            name: "Telegram calls",
            unit: "calls",
            subject: sendCalls(fw),
            peer: sendCalls(naive),
            lowerIsBetter: true,
            target: "< 100",
            targetMet: sendCalls(fw) < 100,
          },
          {
            name: "messages in the chat",
            unit: "messages",
            subject: fw.botMessages(CHAT).length,
            peer: naive.botMessages(CHAT).length,
            lowerIsBetter: true,
          },
          {
            name: "failed frames named in the chat",
            unit: "frames",
            subject: delivered(fw),
            peer: delivered(naive),
            lowerIsBetter: false,
            target: "= 1000",
            targetMet: delivered(fw) === FRAMES,
          },
          {
            name: "undelivered at the end",
            unit: "messages",
            subject: a.queueLeft,
            peer: 0,
            lowerIsBetter: true,
            target: "= 0",
            targetMet: a.queueLeft === 0,
          },
          {
            name: "time to deliver the storm",
            unit: "ms",
            subject: Math.round(a.ms),
            peer: Math.round(b.ms),
            lowerIsBetter: true,
          },
        ],
        notes: [
          `${CYCLES} evaluations 10 s apart, 100 new failed frames each, then one after the group interval (300 s, fake clock)`,
          `${WORKERS} workers; fake Bot API on loopback without rate limits; farmwatch fsyncs its queue per message`,
        ],
      },
    ];
  } finally {
    await fw.close();
    await naive.close();
    await rm(dir, { recursive: true, force: true });
  }
}
