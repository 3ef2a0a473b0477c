/**
 * The fake Bot API's chats and messages, and the checks Telegram applies to
 * what a bot sends (text length after entity parsing, HTML, inline
 * keyboards). Used by `fake-bot-api.ts`; tests read it through there.
 */
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import { apiError, type WireAnswer } from "./fake-bot-api-failures.js";
import { HtmlParseError, parseTelegramHtml } from "./fake-bot-api-html.js";

/** Telegram's limit on a message's text after entity parsing (UTF-16). */
export const MAX_TEXT_LENGTH = 4096;

/** A message as the fake stores it. */
export interface StoredMessage {
  messageId: number;
  chatId: number;
  /** Sent by the bot (true) or by a simulated user. */
  fromBot: boolean;
  userId?: number;
  /** What the user sees: the text after entity parsing. */
  text: string;
  /** The text exactly as the bot sent it (HTML source in HTML mode). */
  raw: string;
  parseMode?: string;
  replyMarkup?: InlineKeyboardMarkup;
  /** Unix seconds on the fake's clock. */
  date: number;
  editDate?: number;
  /** Earlier texts, oldest first, when edited. */
  edits: string[];
  deleted: boolean;
}

/** A sending method's outcome: the error to answer, or the parsed text. */
type Checked<T> = { error: WireAnswer } | { value: T };

/** Telegram's chat type for an id: users > 0, supergroups -100..., groups. */
export function chatType(chatId: number): "private" | "group" | "supergroup" {
  if (chatId > 0) return "private";
  return chatId <= -1_000_000_000_000 ? "supergroup" : "group";
}

/** Parses `text` under `parseMode` and checks Telegram's limits. */
export function checkText(text: unknown, parseMode: unknown): Checked<string> {
  if (typeof text !== "string" || text.trim() === "") {
    return { error: apiError(400, "Bad Request: message text is empty") };
  }
  if (parseMode !== undefined && parseMode !== "" && parseMode !== "HTML") {
    if (parseMode !== "MarkdownV2" && parseMode !== "Markdown") {
      return { error: apiError(400, "Bad Request: unsupported parse_mode") };
    }
  }
  let plain = text;
  if (parseMode === "HTML") {
    try {
      plain = parseTelegramHtml(text);
    } catch (err) {
      if (!(err instanceof HtmlParseError)) throw err;
      return {
        error: apiError(
          400,
          `Bad Request: can't parse entities: ${err.message}`,
        ),
      };
    }
  }
  if (plain.trim() === "") {
    return { error: apiError(400, "Bad Request: message text is empty") };
  }
  if (plain.length > MAX_TEXT_LENGTH) {
    return { error: apiError(400, "Bad Request: message is too long") };
  }
  return { value: plain };
}

function checkButton(button: unknown): string | undefined {
  if (typeof button !== "object" || button === null) {
    return "Bad Request: can't parse inline keyboard button";
  }
  const b = button as Record<string, unknown>;
  if (typeof b.text !== "string" || b.text === "") {
    return "Bad Request: inline keyboard button text is empty";
  }
  if (typeof b.callback_data === "string") {
    const bytes = Buffer.byteLength(b.callback_data, "utf8");
    return bytes >= 1 && bytes <= 64
      ? undefined
      : "Bad Request: BUTTON_DATA_INVALID";
  }
  if (typeof b.url === "string") {
    return /^(https?|tg):\/\/\S+$/.test(b.url)
      ? undefined
      : `Bad Request: inline keyboard button URL '${b.url}' is invalid`;
  }
  return "Bad Request: text buttons are unallowed in the inline keyboard";
}

/** Checks an inline keyboard as Telegram does; other markups pass. */
export function checkMarkup(
  markup: unknown,
): Checked<InlineKeyboardMarkup | undefined> {
  if (markup === undefined || markup === null) return { value: undefined };
  const m = markup as { inline_keyboard?: unknown };
  if (m.inline_keyboard === undefined) return { value: undefined };
  if (
    !Array.isArray(m.inline_keyboard) ||
    !m.inline_keyboard.every((row) => Array.isArray(row))
  ) {
    return {
      error: apiError(400, "Bad Request: can't parse inline keyboard"),
    };
  }
  for (const row of m.inline_keyboard as unknown[][]) {
    for (const button of row) {
      const problem = checkButton(button);
      if (problem !== undefined) return { error: apiError(400, problem) };
    }
  }
  return { value: markup as InlineKeyboardMarkup };
}

/** The Bot API's `Message` object for a stored message. */
export function toApiMessage(
  m: StoredMessage,
  bot: { id: number; first_name: string; username: string },
): Message {
  const type = chatType(m.chatId);
  const from = m.fromBot
    ? { id: bot.id, is_bot: true, first_name: bot.first_name }
    : { id: m.userId ?? m.chatId, is_bot: false, first_name: "User" };
  const message: Record<string, unknown> = {
    message_id: m.messageId,
    date: m.date,
    chat:
      type === "private"
        ? { id: m.chatId, type, first_name: "User" }
        : { id: m.chatId, type, title: "Farm" },
    from: m.fromBot ? { ...from, username: bot.username } : from,
    text: m.text,
  };
  if (m.replyMarkup !== undefined) message.reply_markup = m.replyMarkup;
  if (m.editDate !== undefined) message.edit_date = m.editDate;
  return message as unknown as Message;
}

/** Per-chat message history with Telegram's per-chat message ids. */
export class ChatStore {
  private readonly chats = new Map<number, StoredMessage[]>();
  private readonly nextIds = new Map<number, number>();

  /** Appends a message and returns it with its new id. */
  add(
    message: Omit<StoredMessage, "messageId" | "edits" | "deleted">,
  ): StoredMessage {
    const id = this.nextIds.get(message.chatId) ?? 1;
    this.nextIds.set(message.chatId, id + 1);
    const stored = { ...message, messageId: id, edits: [], deleted: false };
    const list = this.chats.get(message.chatId) ?? [];
    list.push(stored);
    this.chats.set(message.chatId, list);
    return stored;
  }

  /** One message, undefined when unknown or deleted. */
  get(chatId: number, messageId: number): StoredMessage | undefined {
    return this.chats
      .get(chatId)
      ?.find((m) => m.messageId === messageId && !m.deleted);
  }

  /** A chat's messages in order, deleted ones included (flagged). */
  history(chatId: number): StoredMessage[] {
    return [...(this.chats.get(chatId) ?? [])];
  }

  /** Every chat id that has a message. */
  chatIds(): number[] {
    return [...this.chats.keys()];
  }
}

/** A user, by default the chat itself (a private chat). */
export interface UserRef {
  chatId: number;
  userId?: number;
  firstName?: string;
  username?: string;
}

/** The Bot API's `User` object for a simulated user. */
export function apiUser(ref: UserRef): Record<string, unknown> {
  const user: Record<string, unknown> = {
    id: ref.userId ?? ref.chatId,
    is_bot: false,
    first_name: ref.firstName ?? "User",
  };
  if (ref.username !== undefined) user.username = ref.username;
  return user;
}

/** A user's `Message`; a leading `/command` gets its bot_command entity. */
export function userMessageObject(
  stored: StoredMessage,
  ref: UserRef,
): Record<string, unknown> {
  const message = toApiMessage(stored, {
    id: 0,
    first_name: "",
    username: "",
  }) as unknown as Record<string, unknown>;
  message.from = apiUser(ref);
  const command = /^\/[^\s]+/.exec(stored.text);
  if (command !== null) {
    message.entities = [
      { type: "bot_command", offset: 0, length: command[0].length },
    ];
  }
  return message;
}

/** The newest of `messages` offering a button with `data`. */
export function withButton(
  messages: StoredMessage[],
  data: string,
): StoredMessage | undefined {
  return [...messages]
    .reverse()
    .find((m) =>
      m.replyMarkup?.inline_keyboard
        .flat()
        .some((b) => "callback_data" in b && b.callback_data === data),
    );
}
