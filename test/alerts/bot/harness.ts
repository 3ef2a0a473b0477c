/**
 * Starts the bot against the fake Bot API with scripted farm data, and
 * drives it like a user: `send("/status")` resolves with the bot's reply
 * once the bot has handled the message (it confirmed the update's offset).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Bot } from "grammy";
import { Registry } from "prom-client";
import { vi } from "vitest";
import type { RunningBot } from "../../../src/alerts/api.js";
import { startBot } from "../../../src/alerts/bot/index.js";
import { ConfigSchema } from "../../../src/shared/config/schema.js";
import { FlamencoClient } from "../../../src/shared/flamenco/client.js";
import { createLogger } from "../../../src/shared/logger.js";
import type { FarmView, NodeSnapshot } from "../../../src/shared/views.js";
import {
  startFakeBotApi,
  type FakeBotApi,
  type StoredMessage,
} from "../../support/fake-bot-api.js";
import { FakeAlerts, NOW } from "./fixtures.js";

export const ADMIN = 1001;
export const READER = 1002;
export const STRANGER = 6666;
export const GROUP = -1001234567890;

export interface HarnessOptions {
  farm?: FarmView;
  nodes?: Map<string, NodeSnapshot>;
  managerUrl?: string;
  stateDir?: string;
  fake?: FakeBotApi;
  managerTimeoutSeconds?: number;
  /** getUpdates timeout; default 1. */
  pollTimeoutSeconds?: number;
  /** Leave the wall clock alone (default: it reads NOW). */
  realClock?: boolean;
  /** Extra keys of `alerts.bot`. */
  botConfig?: Record<string, unknown>;
}

export interface Harness {
  fake: FakeBotApi;
  alerts: FakeAlerts;
  registry: Registry;
  stateDir: string;
  logs: string[];
  farm: FarmView | undefined;
  /** Sends text as `userId` in `chatId`; resolves when it was handled. */
  send(
    text: string,
    who?: { userId?: number; chatId?: number },
  ): Promise<StoredMessage[]>;
  /** Presses a button; resolves with the callback answer's text. */
  press(
    data: string,
    who?: { userId?: number; chatId?: number; messageId?: number },
  ): Promise<string | undefined>;
  /** Stops the bot (the fake stays up unless `closeFake`). */
  stop(closeFake?: boolean): Promise<void>;
}

/** Resolves when the bot confirmed every update up to `updateId`. */
export async function handled(fake: FakeBotApi, updateId: number) {
  await fake.waitForCall("getUpdates", {
    arrived: true,
    where: (c) => Number(c.params.offset ?? 0) > updateId,
  });
}

/**
 * Starts the bot; the wall clock (Date only, timers stay real) reads
 * {@link NOW} until `stop()`, so ages in replies are fixed.
 */
export async function startHarness(
  opts: HarnessOptions = {},
): Promise<Harness> {
  if (!opts.realClock) vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  const fake = opts.fake ?? (await startFakeBotApi({ maxPollSeconds: 5 }));
  const stateDir =
    opts.stateDir ?? (await mkdtemp(join(tmpdir(), "fw-bot-test-")));
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = ConfigSchema.parse({
    alerts: {
      telegram: { token: fake.token, apiRoot: fake.url, chatIds: [GROUP] },
      bot: {
        adminUserIds: [ADMIN],
        readUserIds: [READER],
        managerTimeoutSeconds: opts.managerTimeoutSeconds ?? 2,
        pollTimeoutSeconds: opts.pollTimeoutSeconds ?? 1,
        ...opts.botConfig,
      },
    },
  });
  const alerts = new FakeAlerts();
  const registry = new Registry();
  const manager = opts.managerUrl
    ? new FlamencoClient({ baseUrl: opts.managerUrl, timeoutSeconds: 5 })
    : undefined;
  const h = {
    fake,
    alerts,
    registry,
    stateDir,
    logs,
    farm: opts.farm,
  } as Harness;
  // As the alerts part builds it: short request timeout for every call.
  const bot = new Bot(fake.token, {
    client: { apiRoot: fake.url, timeoutSeconds: 2 },
  });
  const from = fake.calls.length;
  const running: RunningBot = await startBot({
    bot,
    config,
    logger: createLogger({ level: "debug", destination }),
    registry,
    farm: () => h.farm,
    nodes: () => opts.nodes ?? new Map(),
    alerts,
    manager,
    stateDir,
  });
  // Started: in polling mode once the first poll arrives (getMe, the
  // command menu and deleteWebhook come before it).
  const webhook = (opts.botConfig?.webhook as { enabled?: boolean })?.enabled;
  if (!webhook) await fake.waitForCall("getUpdates", { from, arrived: true });
  h.send = async (text, who = {}) => {
    const chatId = who.chatId ?? who.userId ?? ADMIN;
    const before = fake.botMessages(chatId).length;
    const { updateId } = fake.userMessage({
      chatId,
      userId: who.userId ?? ADMIN,
      text,
    });
    await handled(fake, updateId);
    return fake.botMessages(chatId).slice(before);
  };
  h.press = async (data, who = {}) => {
    const chatId = who.chatId ?? who.userId ?? ADMIN;
    const { updateId, callbackQueryId } = fake.pressButton({
      chatId,
      userId: who.userId ?? ADMIN,
      data,
      ...(who.messageId !== undefined ? { messageId: who.messageId } : {}),
    });
    await handled(fake, updateId);
    return fake.callbackAnswer(callbackQueryId)?.text;
  };
  h.stop = async (closeFake = true) => {
    vi.useRealTimers();
    await running.stop();
    await manager?.close();
    if (closeFake) {
      await fake.close();
      if (opts.stateDir === undefined) {
        await rm(stateDir, { recursive: true, force: true });
      }
    }
  };
  return h;
}
