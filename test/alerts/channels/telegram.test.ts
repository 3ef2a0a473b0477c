import { afterEach, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../support/fake-bot-api.js";
import { farm, job, ManualClock, tempDir, views } from "../fixtures.js";
import { harness, type Harness } from "../harness.js";
import { fakeTelegram } from "./telegram-support.js";

const CHAT = -1009876543210;
const OTHER = 4242;

let h: Harness | undefined;
let fake: FakeBotApi | undefined;
afterEach(async () => {
  await h?.cleanup();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

async function setup(alerts: Record<string, unknown> = {}, maxChars = 4000) {
  const clock = new ManualClock();
  const t = await fakeTelegram(clock, maxChars);
  fake = t.fake;
  const tmp = await tempDir();
  h = await harness(
    {
      telegram: { chatIds: [CHAT, OTHER] },
      rules: { FlamencoJobFailed: { forSeconds: 0 } },
      ...alerts,
    },
    () => [t.entry()],
    { ...tmp, clock },
  );
  return t;
}

function failedJobs(n: number) {
  return Array.from({ length: n }, (_, i) =>
    job({
      id: `j-${i}`,
      name: `shot_${String(i).padStart(3, "0")}`,
      status: "failed",
    }),
  );
}

function sends(chat: number) {
  return fake!.calls.filter(
    (c) => c.method === "sendMessage" && Number(c.params.chat_id) === chat,
  );
}

describe("TelegramChannel", () => {
  it("honours 429 retry_after for that chat only, then sends the backlog as one digest with nothing lost", async () => {
    const t = await setup();
    for (let i = 1; i <= 26; i++) {
      if (i === 21)
        fake!.failNext({ kind: "429", chatId: CHAT, retryAfterSeconds: 34 });
      h!.set(views(farm({ jobs: failedJobs(i) })));
      await h!.step(0.4);
    }
    const limited = sends(CHAT).find((c) => c.status === 429)!;
    expect(sends(CHAT).filter((c) => c.status === 200)).toHaveLength(20);
    expect(fake!.botMessages(OTHER)).toHaveLength(26);
    await h!.step(34);
    const after = sends(CHAT).filter((c) => c.at > limited.at);
    expect(after.map((c) => [c.status, c.at - limited.at >= 34_000])).toEqual([
      [200, true],
    ]);
    const texts = fake!
      .botMessages(CHAT)
      .map((m) => m.text)
      .join("\n");
    for (let i = 0; i < 26; i++)
      expect(texts).toContain(`shot_${String(i).padStart(3, "0")}`);
    expect(fake!.botMessages(CHAT).at(-1)!.text).toMatch(/^📬 6 notices/);
    expect(t.throttled()).toBe(1);
  });

  it("never submits more than 4096 characters: a 60-line digest is split on line boundaries", async () => {
    await setup({ telegram: { chatIds: [CHAT] } });
    const failed = Array.from({ length: 60 }, (_, i) => ({
      jobId: "j-40",
      jobName: "shot_040_fx_sim",
      taskId: `t-${i}`,
      taskName: "render-0401-0410",
      frames: "0401-0410",
      status: "failed" as const,
      worker: `render-${String(i).padStart(2, "0")}`,
      failedAt: "2025-06-02T11:59:00Z",
      logTail: ["🔴 command exited abnormally with code 1"],
    }));
    h!.set(views(farm({ failedTasks: failed })));
    await h!.step();
    const msgs = fake!.botMessages(CHAT);
    expect(msgs.length).toBeGreaterThan(1);
    expect(sends(CHAT).every((c) => c.status === 200)).toBe(true);
    const all = msgs.map((m) => m.text).join("\n");
    for (let i = 0; i < 60; i++)
      expect(all).toContain(`on render-${String(i).padStart(2, "0")}.`);
    expect(all).not.toMatch(/\uFFFD/);
  });

  it("re-sends a message shortened after 400 message is too long, never dropping it", async () => {
    await setup({ telegram: { chatIds: [CHAT] } });
    fake!.failNext({
      kind: "400",
      chatId: CHAT,
      description: "Bad Request: message is too long",
    });
    h!.set(views(farm({ jobs: failedJobs(30) })));
    await h!.step();
    await h!.step(1);
    const all = fake!
      .botMessages(CHAT)
      .map((m) => m.text)
      .join("\n");
    expect(all).toContain("shot_029");
    expect(all).toContain("shot_000");
  });

  it("escapes job names so HTML in them reaches the chat as text", async () => {
    await setup({ telegram: { chatIds: [CHAT] } });
    const name = `<b>shot</b> & "fx" <script>`;
    h!.set(views(farm({ jobs: [job({ name, status: "failed" })] })));
    await h!.step();
    expect(fake!.botMessages(CHAT)[0]!.text).toContain(`Job ${name} failed`);
  });

  it("puts a Requeue button with callback data rq:j:<jobId> on a failed job", async () => {
    await setup({ telegram: { chatIds: [CHAT] } });
    h!.set(views(farm({ jobs: [job({ id: "job-9", status: "failed" })] })));
    await h!.step();
    const kb = fake!.botMessages(CHAT)[0]!.replyMarkup!.inline_keyboard;
    expect(kb[0]![0]).toMatchObject({ callback_data: "rq:j:job-9" });
  });

  it("follows a group migrated to a supergroup without losing the message", async () => {
    await setup({ telegram: { chatIds: [-4242] } });
    fake!.failNext({
      kind: "migrate",
      chatId: -4242,
      migrateToChatId: -1004242,
    });
    h!.set(views(farm({ jobs: failedJobs(1) })));
    await h!.step();
    h!.set(views(farm({ jobs: failedJobs(2) })));
    await h!.step(1);
    expect(
      fake!.botMessages(-1004242).map((m) => m.text.includes("shot_000")),
    ).toEqual([true, false]);
    expect(h!.svc.store.data.chatMigrations).toEqual({ "-4242": "-1004242" });
  });

  async function blockedSetup(routes?: unknown[]) {
    const mailed: string[] = [];
    const clock = new ManualClock();
    const t = await fakeTelegram(clock);
    fake = t.fake;
    const tmp = await tempDir();
    h = await harness(
      {
        telegram: { chatIds: [OTHER], blockedRetrySeconds: 900 },
        email: { smtp: { host: "127.0.0.1" }, to: ["ops@example.org"] },
        rules: { FlamencoJobFailed: { forSeconds: 0 } },
        ...(routes === undefined ? {} : { routes }),
      },
      () => [
        t.entry(),
        [
          "email",
          {
            name: "email",
            send: async (e) => (
              mailed.push(e.notices[0]!.alertname),
              { kind: "sent" }
            ),
          },
        ],
      ],
      { ...tmp, clock },
    );
    return mailed;
  }

  it("holds a chat that blocked the bot and delivers there once it is unblocked", async () => {
    await blockedSetup();
    fake!.blockChat(OTHER);
    h!.set(views(farm({ jobs: failedJobs(1) })));
    await h!.step();
    await h!.step(1);
    const whileBlocked = fake!.botMessages(OTHER).length;
    fake!.unblockChat(OTHER);
    await h!.step(60);
    const beforeRetry = fake!.botMessages(OTHER).length;
    await h!.step(900);
    expect([
      whileBlocked,
      beforeRetry,
      fake!.botMessages(OTHER).length,
    ]).toEqual([0, 0, 1]);
    expect(h!.svc.store.data.dead).toEqual([]);
  });

  it("sends no second e-mail for a blocked chat when the route e-mails anyway", async () => {
    const mailed = await blockedSetup();
    fake!.blockChat(OTHER);
    h!.set(views(farm({ jobs: failedJobs(1) })));
    await h!.step();
    await h!.step(1);
    expect(mailed).toEqual(["FlamencoJobFailed"]);
  });

  it("e-mails a blocked chat's message once when the route sends only to Telegram", async () => {
    const mailed = await blockedSetup([
      { severities: ["warning"], channels: ["telegram"] },
    ]);
    fake!.blockChat(OTHER);
    h!.set(views(farm({ jobs: failedJobs(1) })));
    await h!.step();
    await h!.step(1);
    await h!.step(900);
    expect(mailed).toEqual(["FlamencoJobFailed"]);
  });

  it("retries after a 5xx and delivers exactly once", async () => {
    await setup({ telegram: { chatIds: [CHAT] } });
    fake!.failNext({ kind: "502", chatId: CHAT });
    h!.set(views(farm({ jobs: failedJobs(1) })));
    await h!.step();
    expect(fake!.botMessages(CHAT)).toHaveLength(0);
    await h!.step(2);
    expect(fake!.botMessages(CHAT)).toHaveLength(1);
  });

  it("retries a request that timed out and delivers it", async () => {
    await setup({ telegram: { chatIds: [CHAT] } });
    fake!.failNext({ kind: "hang", chatId: CHAT });
    h!.set(views(farm({ jobs: failedJobs(1) })));
    await h!.step();
    await h!.step(2);
    expect(fake!.botMessages(CHAT)).toHaveLength(1);
  });

  it("also e-mails a Telegram message held back longer than backlogToEmailSeconds", async () => {
    const mailed: string[] = [];
    const clock = new ManualClock();
    const t = await (await import("./telegram-support.js")).fakeTelegram(clock);
    fake = t.fake;
    const tmp = await tempDir();
    h = await harness(
      {
        telegram: { chatIds: [CHAT], backlogToEmailSeconds: 600 },
        email: { smtp: { host: "127.0.0.1" }, to: ["ops@example.org"] },
        routes: [{ severities: [], channels: ["telegram"] }],
        rules: { FlamencoJobFailed: { forSeconds: 0 } },
      },
      () => [
        t.entry(),
        [
          "email",
          {
            name: "email",
            send: async (e) => (
              mailed.push(e.notices[0]!.alertname),
              { kind: "sent" }
            ),
          },
        ],
      ],
      { ...tmp, clock },
    );
    fake.failNext({ kind: "429", chatId: CHAT, retryAfterSeconds: 900 });
    h.set(views(farm({ jobs: failedJobs(1) })));
    await h.step();
    await h.step(599);
    expect(mailed).toEqual([]);
    await h.step(2);
    await h.step(10);
    expect(mailed).toEqual(["FlamencoJobFailed"]);
  });
});
