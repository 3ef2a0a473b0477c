/**
 * The fake Bot API's methods other than `getUpdates`: what they check and
 * what they answer, in Telegram's `{ok, result}` / `{ok:false, error_code,
 * description, parameters}` envelopes.
 */
import type { BotCommand } from "grammy/types";
import {
  ChatStore,
  checkMarkup,
  checkText,
  toApiMessage,
} from "./fake-bot-api-chats.js";
import {
  apiError,
  FailureQueue,
  type WireAnswer,
} from "./fake-bot-api-failures.js";
import { ok, UpdateQueue } from "./fake-bot-api-updates.js";

/** The fake bot's own user. */
export const FAKE_BOT_USER = {
  id: 7_000_000_001,
  is_bot: true as const,
  first_name: "Farmwatch",
  username: "farmwatch_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/** An answer given to a callback query. */
export interface CallbackAnswer {
  text?: string;
  showAlert: boolean;
  /** Fake-clock ms. */
  at: number;
}

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** Everything the methods read and change. */
export interface FakeState {
  chats: ChatStore;
  failures: FailureQueue;
  updates: UpdateQueue;
  commands: BotCommand[];
  /** Callback query id -> its answer, `null` while unanswered. */
  callbacks: Map<string, CallbackAnswer | null>;
  now: () => number;
}

type Params = Record<string, unknown>;
type Method = (state: FakeState, params: Params) => WireAnswer;

function chatIdOf(params: Params): number | undefined {
  const n = Number(params.chat_id);
  return params.chat_id === undefined || !Number.isFinite(n) ? undefined : n;
}

function nowSeconds(state: FakeState): number {
  return Math.floor(state.now() / 1000);
}

const sendMessage: Method = (state, params) => {
  const chatId = chatIdOf(params);
  if (chatId === undefined) {
    return apiError(400, "Bad Request: chat not found");
  }
  const failure = state.failures.take(String(chatId));
  if (failure !== undefined) return failure;
  const text = checkText(params.text, params.parse_mode);
  if ("error" in text) return text.error;
  const markup = checkMarkup(params.reply_markup);
  if ("error" in markup) return markup.error;
  const stored = state.chats.add({
    chatId,
    fromBot: true,
    text: text.value,
    raw: params.text as string,
    parseMode: params.parse_mode as string | undefined,
    replyMarkup: markup.value,
    date: nowSeconds(state),
  });
  return {
    kind: "json",
    status: 200,
    body: ok(toApiMessage(stored, FAKE_BOT_USER)),
  };
};

function editTarget(state: FakeState, params: Params) {
  const chatId = chatIdOf(params);
  const messageId = Number(params.message_id);
  if (chatId === undefined || !Number.isFinite(messageId)) {
    return { error: apiError(400, "Bad Request: message to edit not found") };
  }
  const message = state.chats.get(chatId, messageId);
  if (message === undefined) {
    return { error: apiError(400, "Bad Request: message to edit not found") };
  }
  if (!message.fromBot) {
    return { error: apiError(400, "Bad Request: message can't be edited") };
  }
  return { message };
}

const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content " +
  "and reply markup are exactly the same as a current content and reply " +
  "markup of the message";

const editMessageText: Method = (state, params) => {
  const target = editTarget(state, params);
  if ("error" in target) return target.error!;
  const text = checkText(params.text, params.parse_mode);
  if ("error" in text) return text.error;
  const markup = checkMarkup(params.reply_markup);
  if ("error" in markup) return markup.error;
  const m = target.message;
  if (
    m.text === text.value &&
    JSON.stringify(m.replyMarkup) === JSON.stringify(markup.value)
  ) {
    return apiError(400, NOT_MODIFIED);
  }
  m.edits.push(m.raw);
  m.text = text.value;
  m.raw = params.text as string;
  m.parseMode = params.parse_mode as string | undefined;
  m.replyMarkup = markup.value;
  m.editDate = nowSeconds(state);
  return {
    kind: "json",
    status: 200,
    body: ok(toApiMessage(m, FAKE_BOT_USER)),
  };
};

const editMessageReplyMarkup: Method = (state, params) => {
  const target = editTarget(state, params);
  if ("error" in target) return target.error!;
  const markup = checkMarkup(params.reply_markup);
  if ("error" in markup) return markup.error;
  const m = target.message;
  if (JSON.stringify(m.replyMarkup) === JSON.stringify(markup.value)) {
    return apiError(400, NOT_MODIFIED);
  }
  m.replyMarkup = markup.value;
  m.editDate = nowSeconds(state);
  return {
    kind: "json",
    status: 200,
    body: ok(toApiMessage(m, FAKE_BOT_USER)),
  };
};

const deleteMessage: Method = (state, params) => {
  const chatId = chatIdOf(params);
  const m =
    chatId === undefined
      ? undefined
      : state.chats.get(chatId, Number(params.message_id));
  if (m === undefined) {
    return apiError(400, "Bad Request: message to delete not found");
  }
  m.deleted = true;
  return { kind: "json", status: 200, body: ok(true) };
};

const answerCallbackQuery: Method = (state, params) => {
  const id = String(params.callback_query_id ?? "");
  if (state.callbacks.get(id) !== null) {
    return apiError(
      400,
      "Bad Request: query is too old and response timeout expired or " +
        "query ID is invalid",
    );
  }
  const text = params.text;
  if (typeof text === "string" && text.length > 200) {
    return apiError(400, "Bad Request: MESSAGE_TOO_LONG");
  }
  state.callbacks.set(id, {
    ...(typeof text === "string" ? { text } : {}),
    showAlert: params.show_alert === true,
    at: state.now(),
  });
  return { kind: "json", status: 200, body: ok(true) };
};

const setMyCommands: Method = (state, params) => {
  const commands = params.commands;
  if (!Array.isArray(commands) || commands.length > 100) {
    return apiError(400, "Bad Request: can't parse commands JSON object");
  }
  for (const c of commands as Partial<BotCommand>[]) {
    if (!/^[a-z0-9_]{1,32}$/.test(String(c.command ?? ""))) {
      return apiError(400, "Bad Request: BOT_COMMAND_INVALID");
    }
    const d = String(c.description ?? "");
    if (d.length < 1 || d.length > 256) {
      return apiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
    }
  }
  state.commands = commands as BotCommand[];
  return { kind: "json", status: 200, body: ok(true) };
};

const sendChatAction: Method = (_state, params) => {
  if (chatIdOf(params) === undefined) {
    return apiError(400, "Bad Request: chat not found");
  }
  if (!CHAT_ACTIONS.has(String(params.action))) {
    return apiError(400, "Bad Request: wrong parameter action in request");
  }
  return { kind: "json", status: 200, body: ok(true) };
};

const webhookInfo: Method = (state) => {
  const hook = state.updates.webhook;
  const info: Record<string, unknown> = {
    url: hook?.url ?? "",
    has_custom_certificate: false,
    pending_update_count: state.updates.unconfirmed().length,
  };
  if (hook?.lastErrorMessage !== undefined) {
    info.last_error_message = hook.lastErrorMessage;
    info.last_error_date = hook.lastErrorDate;
  }
  return { kind: "json", status: 200, body: ok(info) };
};

const setWebhook: Method = (state, params) =>
  state.updates.setWebhook(params) ?? {
    kind: "json",
    status: 200,
    body: ok(true),
  };

/** Methods by lower-case name (Telegram matches names case-insensitively). */
export const METHODS: Record<string, Method> = {
  getme: () => ({ kind: "json", status: 200, body: ok(FAKE_BOT_USER) }),
  sendmessage: sendMessage,
  editmessagetext: editMessageText,
  editmessagereplymarkup: editMessageReplyMarkup,
  deletemessage: deleteMessage,
  answercallbackquery: answerCallbackQuery,
  setmycommands: setMyCommands,
  getmycommands: (state) => ({
    kind: "json",
    status: 200,
    body: ok(state.commands),
  }),
  deletemycommands: (state) => {
    state.commands = [];
    return { kind: "json", status: 200, body: ok(true) };
  },
  sendchataction: sendChatAction,
  setwebhook: setWebhook,
  deletewebhook: (state, params) => setWebhook(state, { ...params, url: "" }),
  getwebhookinfo: webhookInfo,
};
