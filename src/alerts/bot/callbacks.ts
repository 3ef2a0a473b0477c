import type { Bot, CallbackQueryContext, Context } from "grammy";
import { CALLBACK } from "./buttons.js";
import type { BotEnv } from "./env.js";
import { roleIn } from "./access.js";
import { sendReply } from "./reply.js";
import { askRequeue } from "./requeue-ask.js";
import { confirmRequeue } from "./requeue-confirm.js";
import { safeError } from "./safe-error.js";

type Ctx = CallbackQueryContext<Context>;

const EXPIRED =
  "This confirmation expired or was already used. Send /requeue again.";

function escapeRe(s: string): RegExp {
  return new RegExp(`^${s.replace(/[:]/g, "\\:")}(.+)$`);
}

/** Whether the presser may change things; answers the button if not. */
async function admitted(env: BotEnv, ctx: Ctx, button: string) {
  if (roleIn(env, ctx) === "admin") return true;
  env.metrics.commands.inc({ command: button, outcome: "forbidden" });
  await ctx.answerCallbackQuery({ text: "Only admins can do that." });
  return false;
}

/**
 * Replaces the pressed message's text (or just drops its buttons). When
 * the edit fails, a new text is sent as a new message instead.
 */
async function dropButtons(env: BotEnv, ctx: Ctx, text?: string) {
  try {
    await (text !== undefined
      ? ctx.editMessageText(text, { parse_mode: "HTML" })
      : ctx.editMessageReplyMarkup({ reply_markup: undefined }));
  } catch (err) {
    if (text !== undefined) {
      await sendReply(env, ctx, { text });
      return;
    }
    // Removing buttons is cosmetic: the press was answered already.
    env.log.debug(
      { err: safeError(err, ctx.api.token) },
      "bot buttons not removed",
    );
  }
}

async function onAsk(env: BotEnv, ctx: Ctx, failed: boolean) {
  const button = failed ? "requeue-failed-button" : "requeue-button";
  if (!(await admitted(env, ctx, button))) return;
  await ctx.answerCallbackQuery();
  const who = { userId: ctx.from.id, chatId: ctx.chat!.id };
  const reply = await askRequeue(
    env,
    who,
    ctx.match[1]!,
    failed ? { kind: "failed-tasks" } : { kind: "job" },
    true,
  );
  await sendReply(env, ctx, reply);
  env.metrics.commands.inc({ command: button, outcome: "ok" });
}

async function onConfirm(env: BotEnv, ctx: Ctx) {
  if (!(await admitted(env, ctx, "requeue-confirm"))) return;
  const pending = env.pending.take(ctx.match[1]!);
  if (pending === undefined || pending.chatId !== ctx.chat?.id) {
    env.metrics.commands.inc({ command: "requeue-confirm", outcome: "late" });
    await ctx.answerCallbackQuery({ text: EXPIRED, show_alert: true });
    await dropButtons(env, ctx);
    return;
  }
  // Answered once: after the re-check (bounded by the Manager timeout),
  // so a late press learns at once that nothing was done.
  let answered = false;
  const answer = async (text: string) => {
    if (answered) return;
    answered = true;
    await ctx.answerCallbackQuery({ text });
  };
  const result = await confirmRequeue(
    env,
    pending.plan,
    {
      userId: ctx.from.id,
      chatId: ctx.chat.id,
      ...(ctx.from.username ? { username: ctx.from.username } : {}),
    },
    answer,
  );
  await answer(result.toast);
  await dropButtons(env, ctx, result.text);
  env.metrics.commands.inc({ command: "requeue-confirm", outcome: "ok" });
}

async function onCancel(env: BotEnv, ctx: Ctx) {
  const pending = env.pending.take(ctx.match[1]!);
  await ctx.answerCallbackQuery({
    text: pending ? "Canceled." : "Nothing pending.",
  });
  await dropButtons(
    env,
    ctx,
    pending ? "Canceled. Nothing changed." : undefined,
  );
  env.metrics.commands.inc({ command: "requeue-cancel", outcome: "ok" });
}

/** Installs the Requeue, Confirm and Cancel buttons' handlers. */
export function registerCallbacks(bot: Bot, env: BotEnv): void {
  bot.callbackQuery(escapeRe(CALLBACK.requeueJob), (ctx) =>
    onAsk(env, ctx, false),
  );
  bot.callbackQuery(escapeRe(CALLBACK.requeueFailed), (ctx) =>
    onAsk(env, ctx, true),
  );
  bot.callbackQuery(escapeRe(CALLBACK.confirm), (ctx) => onConfirm(env, ctx));
  bot.callbackQuery(escapeRe(CALLBACK.cancel), (ctx) => onCancel(env, ctx));
  bot.on("callback_query:data", async (ctx) => {
    env.metrics.commands.inc({ command: "button", outcome: "unknown" });
    await ctx.answerCallbackQuery({ text: "This button is no longer used." });
  });
}
