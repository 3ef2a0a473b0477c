import { Api, GrammyError, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  startFakeBotApi,
  type FakeBotApi,
} from "../../support/fake-bot-api.js";

const CHAT = 4242;
const GROUP = -5555;

let fake: FakeBotApi;
let api: Api;

beforeEach(async () => {
  fake = await startFakeBotApi({ maxPollSeconds: 2 });
  api = new Api(fake.token, { apiRoot: fake.url, timeoutSeconds: 5 });
});

afterEach(async () => {
  await fake.close();
});

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe("fake Bot API", () => {
  it("answers getMe with the fake bot user", async () => {
    const me = await api.getMe();
    expect(me.is_bot).toBe(true);
  });

  it("refuses another token with 401 Unauthorized", async () => {
    const other = new Api("1:other", { apiRoot: fake.url });
    const err = (await errorOf(other.getMe())) as GrammyError;
    expect([err.error_code, err.description]).toEqual([401, "Unauthorized"]);
  });

  it("counts the text after entity parsing against 4096", async () => {
    const text = "&lt;".repeat(4096);
    await api.sendMessage(CHAT, text, { parse_mode: "HTML" });
    expect(fake.botMessages(CHAT)[0]?.text).toBe("<".repeat(4096));
  });

  it("refuses 4097 characters with message is too long", async () => {
    const err = (await errorOf(
      api.sendMessage(CHAT, "🔴" + "x".repeat(4095)),
    )) as GrammyError;
    expect([err.error_code, err.description]).toEqual([
      400,
      "Bad Request: message is too long",
    ]);
  });

  it("refuses an unescaped < with can't parse entities", async () => {
    const err = (await errorOf(
      api.sendMessage(CHAT, "job <shot> failed", { parse_mode: "HTML" }),
    )) as GrammyError;
    expect(err.description).toMatch(
      /^Bad Request: can't parse entities: Unsupported start tag "shot"/,
    );
  });

  it("refuses an unclosed tag", async () => {
    const err = (await errorOf(
      api.sendMessage(CHAT, "<b>x", { parse_mode: "HTML" }),
    )) as GrammyError;
    expect(err.description).toMatch(/can't parse entities/);
  });

  it("keeps a bare & as Telegram does", async () => {
    await api.sendMessage(CHAT, "R&D <b>ok</b>", { parse_mode: "HTML" });
    expect(fake.botMessages(CHAT)[0]?.text).toBe("R&D ok");
  });

  it("answers an injected 429 with retry_after and holds the chat", async () => {
    fake.failNext({ kind: "429", chatId: CHAT, retryAfterSeconds: 34 });
    const first = (await errorOf(api.sendMessage(CHAT, "a"))) as GrammyError;
    const second = (await errorOf(api.sendMessage(CHAT, "b"))) as GrammyError;
    await api.sendMessage(GROUP, "other chat");
    expect([first.parameters.retry_after, second.error_code]).toEqual([
      34, 429,
    ]);
  });

  it("answers an injected 403 bot blocked", async () => {
    fake.failNext({ kind: "403" });
    const err = (await errorOf(api.sendMessage(CHAT, "a"))) as GrammyError;
    expect(err.description).toBe("Forbidden: bot was blocked by the user");
  });

  it("keeps a migrated group refusing with migrate_to_chat_id", async () => {
    fake.failNext({ kind: "migrate", chatId: GROUP });
    await errorOf(api.sendMessage(GROUP, "a"));
    const again = (await errorOf(api.sendMessage(GROUP, "b"))) as GrammyError;
    await api.sendMessage(-1005555, "c");
    expect(again.parameters.migrate_to_chat_id).toBe(-1005555);
  });

  it("answers an injected 502 with an HTML page", async () => {
    fake.failNext({ kind: "502" });
    const err = await errorOf(api.sendMessage(CHAT, "a"));
    expect(err).toBeInstanceOf(HttpError);
  });

  it("uses each queued failure count times, then accepts", async () => {
    fake.failNext({ kind: "500", count: 2 });
    await errorOf(api.sendMessage(CHAT, "a"));
    await errorOf(api.sendMessage(CHAT, "b"));
    await api.sendMessage(CHAT, "c");
    expect(fake.botMessages(CHAT).map((m) => m.text)).toEqual(["c"]);
  });

  it("leaves a hung sendMessage unanswered until the client gives up", async () => {
    fake.failNext({ kind: "hang" });
    const quick = new Api(fake.token, { apiRoot: fake.url, timeoutSeconds: 1 });
    const err = await errorOf(quick.sendMessage(CHAT, "a"));
    expect(err).toBeInstanceOf(HttpError);
  });

  it("wakes a long poll when an update arrives", async () => {
    const poll = api.getUpdates({ timeout: 2 });
    await fake.waitForPoll();
    fake.userMessage({ chatId: CHAT, text: "/status" });
    const updates = await poll;
    expect(updates[0]?.message?.entities?.[0]?.type).toBe("bot_command");
  });

  it("forgets updates below the confirmed offset", async () => {
    const a = fake.userMessage({ chatId: CHAT, text: "/a" }).updateId;
    const b = fake.userMessage({ chatId: CHAT, text: "/b" }).updateId;
    const updates = await api.getUpdates({ offset: a + 1, timeout: 0 });
    expect(updates.map((u) => u.update_id)).toEqual([b]);
  });

  it("ends an older poll with 409 when a second one starts", async () => {
    const first = errorOf(api.getUpdates({ timeout: 2 }));
    await fake.waitForPoll();
    void api.getUpdates({ timeout: 0 });
    const err = (await first) as GrammyError;
    expect(err.error_code).toBe(409);
  });

  it("answers a callback query once", async () => {
    await api.sendMessage(CHAT, "Requeue?", {
      reply_markup: {
        inline_keyboard: [[{ text: "Confirm", callback_data: "ok" }]],
      },
    });
    fake.pressButton({ chatId: CHAT, data: "ok" });
    const [update] = await api.getUpdates({ timeout: 0 });
    const id = update!.callback_query!.id;
    await api.answerCallbackQuery(id, { text: "done" });
    const err = (await errorOf(api.answerCallbackQuery(id))) as GrammyError;
    expect([fake.callbackAnswer(id)?.text, err.error_code]).toEqual([
      "done",
      400,
    ]);
  });

  it("refuses callback_data longer than 64 bytes", async () => {
    const err = (await errorOf(
      api.sendMessage(CHAT, "x", {
        reply_markup: {
          inline_keyboard: [[{ text: "y", callback_data: "z".repeat(65) }]],
        },
      }),
    )) as GrammyError;
    expect(err.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("refuses a command name Telegram does not allow", async () => {
    const err = (await errorOf(
      api.setMyCommands([{ command: "Status", description: "x" }]),
    )) as GrammyError;
    expect(err.description).toBe("Bad Request: BOT_COMMAND_INVALID");
  });

  it("refuses editing a message to the same content", async () => {
    const m = await api.sendMessage(CHAT, "same");
    const err = (await errorOf(
      api.editMessageText(CHAT, m.message_id, "same"),
    )) as GrammyError;
    expect(err.description).toMatch(/^Bad Request: message is not modified/);
  });

  it("C20: answers the 21st sendMessage with 429 and accepts after retry_after", async () => {
    let nowMs = 0;
    const clocked = await startFakeBotApi({ now: () => nowMs });
    const chat = -1009876543210;
    const c20 = new Api(clocked.token, { apiRoot: clocked.url });
    for (let i = 0; i < 20; i++) await c20.sendMessage(chat, `alert ${i}`);
    clocked.failNext({ kind: "429", chatId: chat, retryAfterSeconds: 34 });
    const first = (await errorOf(c20.sendMessage(chat, "21"))) as GrammyError;
    nowMs = 33_000;
    const early = (await errorOf(c20.sendMessage(chat, "21"))) as GrammyError;
    nowMs = 34_000;
    await c20.sendMessage(chat, "21");
    await clocked.close();
    expect({
      first: [first.description, first.parameters.retry_after],
      early: early.parameters.retry_after,
      sent: clocked.botMessages(chat).length,
    }).toEqual({
      first: ["Too Many Requests: retry after 34", 34],
      early: 1,
      sent: 21,
    });
  });

  it("C21: refuses the 60-task shot_040_fx_sim digest as too long", async () => {
    const line =
      "🔴 render-0401-0410 on render-05: command exited abnormally with code 1";
    const digest = [
      "<b>shot_040_fx_sim</b> failed",
      ...Array.from({ length: 60 }, () => line),
    ].join("\n");
    const err = (await errorOf(
      api.sendMessage(CHAT, digest, { parse_mode: "HTML" }),
    )) as GrammyError;
    expect([err.error_code, err.description]).toEqual([
      400,
      "Bad Request: message is too long",
    ]);
  });
});
