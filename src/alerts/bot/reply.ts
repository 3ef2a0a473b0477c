import { GrammyError, type Context } from "grammy";
import type { BotEnv, Reply } from "./env.js";
import { cutText, TELEGRAM_MAX_CHARS, visibleLength } from "./html.js";
import { safeError } from "./safe-error.js";

/** Telegram HTML reduced to what it shows, for a plain-text retry. */
function plain(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/**
 * Sends a reply in HTML. Should Telegram refuse the markup (a bug of
 * ours), the same text goes again without formatting, so the user still
 * gets an answer; the refusal is logged at error. A reply too long even
 * after `fitLines` goes as plain text, cut to the limit.
 */
export async function sendReply(
  env: BotEnv,
  ctx: Context,
  reply: Reply,
): Promise<void> {
  const extra = {
    link_preview_options: { is_disabled: true },
    ...(reply.keyboard ? { reply_markup: reply.keyboard } : {}),
  };
  if (visibleLength(reply.text) > TELEGRAM_MAX_CHARS) {
    // One line longer than a message (a huge name): plain and cut.
    await ctx.reply(cutText(plain(reply.text), TELEGRAM_MAX_CHARS), extra);
    return;
  }
  try {
    await ctx.reply(reply.text, { ...extra, parse_mode: "HTML" });
  } catch (err) {
    if (
      !(err instanceof GrammyError) ||
      !/can't parse entities/.test(err.description)
    ) {
      throw err;
    }
    env.log.error(
      { err: safeError(err, ctx.api.token) },
      "bot reply markup refused",
    );
    await ctx.reply(plain(reply.text), extra);
  }
}
