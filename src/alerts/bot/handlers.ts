import type { Bot, Context } from "grammy";
import { roleIn } from "./access.js";
import { COMMANDS } from "./commands/index.js";
import type { BotEnv, CommandSpec } from "./env.js";
import { registerCallbacks } from "./callbacks.js";
import { sendReply } from "./reply.js";
import { safeError } from "./safe-error.js";

/**
 * Lets through only allowed chats and users. Others get no data: a
 * private chat learns its user id (to hand to the owner), a button gets
 * "Not allowed", a group gets nothing; each refusal is logged and counted.
 */
async function refuseStrangers(
  env: BotEnv,
  ctx: Context,
  next: () => Promise<void>,
): Promise<void> {
  if (roleIn(env, ctx) !== "none") return next();
  const kind = ctx.callbackQuery
    ? "callback"
    : ctx.message
      ? "message"
      : "other";
  env.metrics.unauthorized.inc({ kind });
  env.log.warn(
    { userId: ctx.from?.id, chatId: ctx.chat?.id, kind },
    "bot update from a stranger refused",
  );
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: "Not allowed." });
  } else if (ctx.chat?.type === "private" && ctx.message) {
    await ctx.reply(
      `Not allowed. Your Telegram user id is ${ctx.from?.id ?? "?"}; ` +
        "ask the farm owner to add it.",
    );
  }
}

async function runCommand(env: BotEnv, spec: CommandSpec, ctx: Context) {
  const count = (outcome: string) =>
    env.metrics.commands.inc({ command: spec.command, outcome });
  if (spec.admin && roleIn(env, ctx) !== "admin") {
    count("forbidden");
    await sendReply(env, ctx, { text: "Only admins can do that." });
    return;
  }
  const req = {
    args: typeof ctx.match === "string" ? ctx.match.trim() : "",
    userId: ctx.from!.id,
    chatId: ctx.chat!.id,
    ...(ctx.from?.username ? { username: ctx.from.username } : {}),
  };
  let reply;
  try {
    reply = await spec.run(env, req);
  } catch (err) {
    count("error");
    env.log.error(
      { err: safeError(err, ctx.api.token), command: spec.command },
      "bot command failed",
    );
    await sendReply(env, ctx, { text: "Sorry, that failed; see the log." });
    return;
  }
  await sendReply(env, ctx, reply);
  count("ok");
}

/**
 * Keeps a failed update from escaping: in webhook mode an error would
 * make Telegram deliver the same update again and again.
 */
async function contain(env: BotEnv, ctx: Context, next: () => Promise<void>) {
  try {
    await next();
  } catch (err) {
    env.log.error(
      { err: safeError(err, ctx.api.token), updateId: ctx.update.update_id },
      "bot update failed",
    );
  }
}

/** Installs access control, every command and the buttons on `bot`. */
export function installHandlers(bot: Bot, env: BotEnv): void {
  bot.use((ctx, next) => contain(env, ctx, next));
  bot.use((ctx, next) => refuseStrangers(env, ctx, next));
  for (const spec of COMMANDS) {
    bot.command(spec.command, (ctx) => runCommand(env, spec, ctx));
  }
  registerCallbacks(bot, env);
  bot.on("message:entities:bot_command", async (ctx) => {
    const entity = ctx.message.entities[0];
    if (entity?.type !== "bot_command" || entity.offset !== 0) return;
    const name = ctx.message.text.slice(1, entity.length);
    const [, at] = name.split("@");
    if (at !== undefined && at !== ctx.me.username) return;
    env.metrics.commands.inc({ command: "unknown", outcome: "unknown" });
    await sendReply(env, ctx, { text: "Unknown command. Try /help" });
  });
}
