import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Bot } from "grammy";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startBot } from "../../../src/alerts/bot/index.js";
import { OFFSET_FILE } from "../../../src/alerts/bot/offset-store.js";
import { ConfigSchema } from "../../../src/shared/config/schema.js";
import { createLogger } from "../../../src/shared/logger.js";
import {
  startFakeBotApi,
  type FakeBotApi,
} from "../../support/fake-bot-api.js";
import { FakeAlerts, farm } from "./fixtures.js";
import { ADMIN, handled, startHarness, type Harness } from "./harness.js";

let fake: FakeBotApi;
let stateDir: string;
let h: Harness | undefined;

beforeEach(async () => {
  fake = await startFakeBotApi({ maxPollSeconds: 5 });
  stateDir = await mkdtemp(join(tmpdir(), "fw-bot-offset-"));
});

afterEach(async () => {
  await h?.stop();
  h = undefined;
  await fake.close();
  await rm(stateDir, { recursive: true, force: true });
});

function start(pollTimeoutSeconds = 1) {
  return startHarness({ farm: farm(), fake, stateDir, pollTimeoutSeconds });
}

describe("bot polling with a persisted offset", () => {
  it("saves the next offset after handling an update", async () => {
    h = await start();
    const { updateId } = fake.userMessage({ chatId: ADMIN, text: "/status" });
    await handled(fake, updateId);
    const saved = JSON.parse(
      await readFile(join(stateDir, OFFSET_FILE), "utf8"),
    ) as { offset: number };
    expect(saved.offset).toBe(updateId + 1);
  });

  it("answers a command sent while it was stopped, once", async () => {
    h = await start();
    await h.send("/status");
    await h.stop(false);
    const { updateId } = fake.userMessage({ chatId: ADMIN, text: "/jobs" });
    h = await start();
    await handled(fake, updateId);
    const jobsReplies = fake
      .botMessages(ADMIN)
      .filter((m) => m.text.startsWith("▶️ aaaaaaaa"));
    expect(jobsReplies.length).toBe(1);
  });

  it("does not replay an update handled before a crash", async () => {
    const first = fake.userMessage({ chatId: ADMIN, text: "/status" });
    const second = fake.userMessage({ chatId: ADMIN, text: "/jobs" });
    // The last run handled the first update and saved the offset, then died
    // before its next getUpdates told Telegram.
    await writeFile(
      join(stateDir, OFFSET_FILE),
      JSON.stringify({ offset: first.updateId + 1 }),
    );
    h = await start();
    await handled(fake, second.updateId);
    expect({
      first: fake.deliveries(first.updateId),
      replies: fake.botMessages(ADMIN).length,
    }).toEqual({ first: 0, replies: 1 });
  });

  it("keeps the token out of the log when Telegram is unreachable", async () => {
    h = await start();
    await fake.close();
    await vi.waitFor(
      () => {
        expect(h!.logs.join("")).toContain("bot polling failing");
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(h.logs.join("")).not.toContain(fake.token.split(":")[1]);
  });

  it("logs once, without the token, while Telegram is unreachable at start", async () => {
    const url = fake.url;
    await fake.close();
    const lines: string[] = [];
    const running = await startBot({
      bot: new Bot(fake.token, { client: { apiRoot: url } }),
      config: ConfigSchema.parse({}),
      logger: createLogger({
        destination: new Writable({
          write(chunk, _e, cb) {
            lines.push(String(chunk));
            cb();
          },
        }),
      }),
      registry: new Registry(),
      farm: () => undefined,
      nodes: () => new Map(),
      alerts: new FakeAlerts(),
      manager: undefined,
      stateDir,
    });
    await vi.waitFor(
      () => {
        expect(lines.join("")).toContain("bot start failing");
      },
      { timeout: 10_000, interval: 50 },
    );
    await running.stop();
    const failing = lines.filter((l) => l.includes("bot start failing"));
    expect({
      once: failing.length,
      token: lines.join("").includes(fake.token.split(":")[1]!),
    }).toEqual({ once: 1, token: false });
  });

  it("holds long polls longer than the shared client's request timeout", async () => {
    // The harness's bot gives up on any call after 2 s; polls last 3 s.
    h = await start(3);
    const first = fake.calls.findIndex((c) => c.method === "getUpdates");
    await fake.waitForCall("getUpdates", { from: first + 1, arrived: true });
    const errors = await h.registry
      .getSingleMetric("farmwatch_bot_poll_errors_total")!
      .get();
    expect({
      answered: fake.calls[first]?.status,
      errors: errors.values[0]?.value ?? 0,
    }).toEqual({ answered: 200, errors: 0 });
  });
});
