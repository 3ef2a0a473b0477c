import type { Context } from "grammy";
import type { Config } from "../../shared/config/schema.js";

/** What a user may do: nothing, read, or read and change. */
export type Role = "none" | "reader" | "admin";

/** The user's role from `alerts.bot.readUserIds` / `adminUserIds`. */
export function roleOf(config: Config, userId: number | undefined): Role {
  if (userId === undefined) return "none";
  const bot = config.alerts.bot;
  if (bot.adminUserIds.includes(userId)) return "admin";
  return bot.readUserIds.includes(userId) ? "reader" : "none";
}

/**
 * Whether the bot talks in this chat: a chat in `alerts.bot.allowedChatIds`
 * or `alerts.telegram.chatIds`, or the private chat of a listed user.
 */
export function chatAllowed(
  config: Config,
  chatId: number | undefined,
  userId: number | undefined,
): boolean {
  if (chatId === undefined) return false;
  if (config.alerts.bot.allowedChatIds.includes(chatId)) return true;
  if (
    config.alerts.telegram.chatIds.some((c) => String(c) === String(chatId))
  ) {
    return true;
  }
  return chatId === userId && roleOf(config, userId) !== "none";
}

/** Role in this chat: `none` when the chat itself is not allowed. */
export function accessOf(
  config: Config,
  chatId: number | undefined,
  userId: number | undefined,
): Role {
  return chatAllowed(config, chatId, userId) ? roleOf(config, userId) : "none";
}

/** The role of an update's sender in its chat. */
export function roleIn(env: { deps: { config: Config } }, ctx: Context): Role {
  return accessOf(env.deps.config, ctx.chat?.id, ctx.from?.id);
}
