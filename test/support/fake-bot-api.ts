/**
 * A local fake of the Telegram Bot API over HTTP, strict like Telegram, for
 * tests of everything that talks to Telegram through grammY.
 *
 * Start it with `const fake = await startFakeBotApi()`; it listens on
 * 127.0.0.1, port 0. Point grammY at it:
 * `new Bot(fake.token, { client: { apiRoot: fake.url } })`. Requests go to
 * `${url}/bot<token>/<method>` as JSON, form or query parameters; another
 * token gets 401 Unauthorized, an unknown method 404 Not Found. Errors use
 * Telegram's envelope `{ok:false, error_code, description, parameters?}`.
 *
 * Methods: getMe; getUpdates (offset confirms and forgets earlier updates,
 * a negative offset keeps the last ones, `limit`, `allowed_updates`,
 * `timeout` held open up to `maxPollSeconds`; a second poller ends the first
 * with 409, as does polling while a webhook is set); setWebhook (loopback
 * URLs only; updates are then POSTed there with the secret token header),
 * deleteWebhook, getWebhookInfo; setMyCommands, getMyCommands,
 * deleteMyCommands; sendMessage (text length after HTML entity parsing, in
 * UTF-16 units, at most 4096, else 400 "Bad Request: message is too long";
 * malformed HTML 400 "Bad Request: can't parse entities: ..."; inline
 * keyboards checked, `callback_data` 1 to 64 bytes); editMessageText,
 * editMessageReplyMarkup (400 "message is not modified" on no change),
 * deleteMessage; answerCallbackQuery (once per query, else 400 "query is too
 * old ..."); sendChatAction. MarkdownV2 text is not parsed: its length is
 * counted as sent.
 *
 * Test-facing API:
 * - `userMessage({chatId, userId?, text})`: a user writes in a chat; a
 *   leading `/command` gets its `bot_command` entity. `pressButton({chatId,
 *   userId?, data, messageId?})`: a user presses an inline button of a bot
 *   message (default the newest one offering `data`). `pushUpdate(u)`: any
 *   update. Each returns the update id (and message / callback query id).
 * - `calls`: every request `{method, params, at, status}` in order, `at` in
 *   ms on the fake's clock, `status` the HTTP status (0: never answered).
 *   `waitForCall(method, {from?, where?, timeoutMs?})` resolves with the
 *   first matching call at index >= `from` (default 0) once it has been
 *   handled (answered, or left hanging, or reset); with `arrived: true`
 *   as soon as its parameters are read. `waitForPoll()`
 *   resolves once a long poll is held open.
 * - `messages(chatId)`: the chat's history, user and bot messages, with
 *   `text` as the user sees it and `raw` as sent; `botMessages(chatId)`;
 *   `callbackAnswer(id)`; `commands()`; `deliveries(updateId)` (how often
 *   an update was written to a live connection of the bot),
 *   `confirmedUpTo`, `unconfirmed()`.
 * - `failNext({kind, chatId?, count?, ...})` queues failures of sendMessage:
 *   `429` with `parameters.retry_after` (and, by default, 429 for that chat
 *   until it has passed), `403` bot blocked, `migrate` (the group is then
 *   upgraded for good: every later send to it gets 400 with
 *   `parameters.migrate_to_chat_id`), `400`, `500`, `502` (nginx HTML, as
 *   Telegram's front does), `hang` (no answer until `close()`), `reset`
 *   (connection dropped). `blockChat`/`unblockChat` set the lasting 403.
 * - `close()`: answers pending polls, drops hung requests, stops listening.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { EventEmitter } from "node:events";
import type { BotCommand, Update } from "grammy/types";
import {
  apiUser,
  ChatStore,
  toApiMessage,
  userMessageObject,
  withButton,
  type StoredMessage,
  type UserRef,
} from "./fake-bot-api-chats.js";
import {
  apiError,
  FailureQueue,
  type FailureSpec,
  type WireAnswer,
} from "./fake-bot-api-failures.js";
import {
  FAKE_BOT_USER,
  METHODS,
  type CallbackAnswer,
  type FakeState,
} from "./fake-bot-api-methods.js";
import { UpdateQueue } from "./fake-bot-api-updates.js";
import {
  CallLog,
  type CallRecord,
  type WaitOptions,
} from "./fake-bot-api-calls.js";
import { parseBody, readBody, writeAnswer } from "./fake-bot-api-http.js";

export type { FailureSpec, FailureKind } from "./fake-bot-api-failures.js";
export type { StoredMessage, UserRef } from "./fake-bot-api-chats.js";
export type { CallRecord, WaitOptions } from "./fake-bot-api-calls.js";
export type { CallbackAnswer } from "./fake-bot-api-methods.js";
export { FAKE_BOT_USER } from "./fake-bot-api-methods.js";

/** A token of the right shape that no real bot has. */
export const FAKE_BOT_TOKEN = "123456789:AAFakeTokenForLoopbackTestsOnly000";

/** Options for {@link startFakeBotApi}. */
export interface FakeBotApiOptions {
  /** The only token accepted; default {@link FAKE_BOT_TOKEN}. */
  token?: string;
  /** Cap on a getUpdates `timeout`, seconds; default 5 (Telegram: 50). */
  maxPollSeconds?: number;
  /** The fake's clock in ms (message dates, flood waits); default Date.now. */
  now?: () => number;
}

/** The running fake; see the module comment for its API. */
export class FakeBotApi {
  /** The Bot API root to give grammY as `client.apiRoot`. */
  url = "";
  readonly token: string;
  private readonly log = new CallLog();
  /** Every request in order; see {@link CallRecord}. */
  readonly calls: CallRecord[] = this.log.calls;
  private readonly state: FakeState;
  private readonly events = new EventEmitter();
  private readonly server = createServer((req, res) => {
    void this.handle(req, res);
  });

  constructor(options: FakeBotApiOptions = {}) {
    this.token = options.token ?? FAKE_BOT_TOKEN;
    const now = options.now ?? Date.now;
    this.state = {
      chats: new ChatStore(),
      failures: new FailureQueue(now),
      updates: new UpdateQueue(options.maxPollSeconds ?? 5, now),
      commands: [],
      callbacks: new Map(),
      now,
    };
    this.events.setMaxListeners(100);
    this.state.updates.onPoll = () => this.events.emit("poll");
  }

  /** Starts listening on 127.0.0.1, port 0. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server.listen(0, "127.0.0.1", resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Queues any update; returns its update id. */
  pushUpdate(update: Omit<Update, "update_id">): number {
    return this.state.updates.push(update);
  }

  /** A user writes `text` in a chat; `/cmd` gets its bot_command entity. */
  userMessage(opts: UserRef & { text: string }): {
    updateId: number;
    messageId: number;
  } {
    const stored = this.state.chats.add({
      chatId: opts.chatId,
      fromBot: false,
      userId: opts.userId ?? opts.chatId,
      text: opts.text,
      raw: opts.text,
      date: Math.floor(this.state.now() / 1000),
    });
    const message = userMessageObject(stored, opts);
    const updateId = this.pushUpdate({
      message,
    } as unknown as Omit<Update, "update_id">);
    return { updateId, messageId: stored.messageId };
  }

  /** A user presses the inline button carrying `data` on a bot message. */
  pressButton(opts: UserRef & { data: string; messageId?: number }): {
    updateId: number;
    callbackQueryId: string;
  } {
    const message =
      opts.messageId !== undefined
        ? this.state.chats.get(opts.chatId, opts.messageId)
        : withButton(this.botMessages(opts.chatId), opts.data);
    if (message === undefined) {
      throw new Error(`no bot message with button ${opts.data}`);
    }
    const callbackQueryId = `cbq${this.state.callbacks.size + 1}`;
    this.state.callbacks.set(callbackQueryId, null);
    const updateId = this.pushUpdate({
      callback_query: {
        id: callbackQueryId,
        from: apiUser(opts),
        chat_instance: `ci${opts.chatId}`,
        data: opts.data,
        message: toApiMessage(message, FAKE_BOT_USER),
      },
    } as unknown as Omit<Update, "update_id">);
    return { updateId, callbackQueryId };
  }

  /** A chat's messages in order, the user's and the bot's. */
  messages(chatId: number): StoredMessage[] {
    return this.state.chats.history(chatId);
  }

  /** The bot's messages in a chat, deleted ones left out. */
  botMessages(chatId: number): StoredMessage[] {
    return this.messages(chatId).filter((m) => m.fromBot && !m.deleted);
  }

  /** The answer to a callback query: null unanswered, undefined unknown. */
  callbackAnswer(id: string): CallbackAnswer | null | undefined {
    return this.state.callbacks.get(id);
  }

  /** The commands the bot registered with setMyCommands. */
  commands(): BotCommand[] {
    return [...this.state.commands];
  }

  /** How many times the bot received the update with this id. */
  deliveries(updateId: number): number {
    return this.state.updates.deliveries(updateId);
  }

  /** Highest update id the bot confirmed through getUpdates' offset. */
  get confirmedUpTo(): number {
    return this.state.updates.confirmedUpTo;
  }

  /** Updates Telegram still holds for the bot. */
  unconfirmed(): Update[] {
    return this.state.updates.unconfirmed();
  }

  /** Queues failures of sendMessage; see the module comment. */
  failNext(spec: FailureSpec): void {
    this.state.failures.add(spec);
  }

  /** The user of a private chat blocks the bot: 403 until unblocked. */
  blockChat(chatId: number): void {
    this.state.failures.blocked.add(String(chatId));
  }

  unblockChat(chatId: number): void {
    this.state.failures.blocked.delete(String(chatId));
  }

  /** Resolves with the first call of `method` at index >= `from`. */
  waitForCall(method: string, opts: WaitOptions = {}): Promise<CallRecord> {
    return this.log.waitFor(method, opts);
  }

  /** Resolves once a getUpdates long poll is held open (now or later). */
  waitForPoll(timeoutMs = 10_000): Promise<void> {
    if (this.state.updates.polling) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("poll", onPoll);
        reject(new Error("fake Bot API: no long poll arrived"));
      }, timeoutMs);
      const onPoll = () => {
        clearTimeout(timer);
        resolve();
      };
      this.events.once("poll", onPoll);
    });
  }

  /** Answers pending polls, drops hung requests and stops listening. */
  async close(): Promise<void> {
    this.state.updates.close();
    const closed = new Promise<void>((resolve) =>
      this.server.close(() => resolve()),
    );
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    const record = this.log.start(m?.[2] ?? path, this.state.now());
    let answer: WireAnswer;
    try {
      record.params = parseBody(req, await readBody(req));
      this.log.markRead(record);
      answer = await this.answer(m, record.params, res);
    } catch {
      answer = apiError(400, "Bad Request: can't parse request body");
    }
    const written = writeAnswer(res, answer);
    if (written && record.method.toLowerCase() === "getupdates") {
      const body = (answer as { body?: { result?: unknown } }).body;
      if (Array.isArray(body?.result)) {
        this.state.updates.markDelivered(body.result as Update[]);
      }
    }
    this.log.markAnswered(record, "status" in answer ? answer.status : 0);
  }

  private async answer(
    m: RegExpExecArray | null,
    params: Record<string, unknown>,
    res: ServerResponse,
  ): Promise<WireAnswer> {
    if (m === null) return apiError(404, "Not Found");
    if (m[1] !== this.token) return apiError(401, "Unauthorized");
    const method = m[2]!.toLowerCase();
    if (method === "getupdates") {
      const gone = new AbortController();
      res.on("close", () => gone.abort());
      return this.state.updates.getUpdates(params, gone.signal);
    }
    const handler = METHODS[method];
    return handler === undefined
      ? apiError(404, "Not Found: method not found")
      : handler(this.state, params);
  }
}

/** Starts a fake Bot API on 127.0.0.1, port 0. Call `close()` after. */
export async function startFakeBotApi(
  options: FakeBotApiOptions = {},
): Promise<FakeBotApi> {
  const fake = new FakeBotApi(options);
  await fake.listen();
  return fake;
}
