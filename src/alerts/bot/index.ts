/**
 * The Telegram bot: commands (/status, /requeue, ...) answered from the
 * farm view, the agents' snapshots, the alerts part and the Manager, in
 * the alerts part's process and with its grammY bot. See docs/bot.md.
 */
import { Api } from "grammy";
import type { BotDeps, RunningBot } from "../api.js";
import { AuditLog } from "./audit.js";
import { COMMANDS } from "./commands/index.js";
import type { BotEnv } from "./env.js";
import { installHandlers } from "./handlers.js";
import { ManagerOps } from "./manager.js";
import { createBotMetrics } from "./metrics.js";
import { OffsetStore } from "./offset-store.js";
import { PendingStore } from "./pending.js";
import { startPolling } from "./polling.js";
import { safeError } from "./safe-error.js";
import { startWebhook } from "./webhook.js";

/** The Requeue button for failed-frame alerts; see `buttons.ts`. */
export { requeueButton } from "./buttons.js";

/**
 * A long poll may take `pollTimeoutSeconds`; its HTTP request is given
 * this much more before the client gives up. The shared bot's client is
 * set for short calls (`alerts.telegram.requestTimeoutSeconds`) and would
 * abort every long poll.
 */
const POLL_GRACE_SECONDS = 15;

function createEnv(deps: BotDeps): BotEnv {
  const cfg = deps.config.alerts.bot;
  return {
    deps,
    log: deps.logger.child({ component: "bot" }),
    metrics: createBotMetrics(deps.registry),
    audit: new AuditLog(deps.stateDir),
    manager:
      deps.manager === undefined
        ? undefined
        : new ManagerOps(deps.manager, cfg.managerTimeoutSeconds * 1000),
    pending: new PendingStore(cfg.confirmTimeoutSeconds * 1000),
    now: () => new Date(),
  };
}

/** Registers the command menu; a failure is logged, never fatal. */
async function registerCommands(env: BotEnv): Promise<void> {
  try {
    await env.deps.bot.api.setMyCommands(
      COMMANDS.map((c) => ({ command: c.command, description: c.description })),
    );
  } catch (err) {
    env.log.warn(
      { err: safeError(err, env.deps.bot.token) },
      "bot commands not registered",
    );
  }
}

/**
 * Starts answering commands: installs the handlers on `deps.bot`, then,
 * in the background and retried while Telegram cannot be reached, learns
 * the bot's name (getMe), registers the command menu, removes any
 * webhook and long-polls with the offset kept in `deps.stateDir`. With
 * `alerts.bot.webhook.enabled` it serves a webhook instead; that start
 * throws when the port is taken or Telegram refuses the webhook. Never
 * call `bot.start()` on the same bot: this is its only reader of updates.
 * With `alerts.bot.enabled: false` it does nothing.
 */
export async function startBot(deps: BotDeps): Promise<RunningBot> {
  const cfg = deps.config.alerts.bot;
  if (!cfg.enabled) {
    deps.logger.child({ component: "bot" }).info({}, "bot disabled");
    return { stop: async () => undefined };
  }
  const env = createEnv(deps);
  installHandlers(deps.bot, env);
  if (cfg.webhook.enabled) {
    await deps.bot.init();
    await registerCommands(env);
    const hook = await startWebhook(deps.bot, deps.config);
    env.log.info({ mode: "webhook", listen: hook.url }, "bot started");
    return { stop: () => hook.stop() };
  }
  const polling = startPolling({
    bot: deps.bot,
    pollApi: new Api(deps.bot.token, {
      apiRoot: deps.config.alerts.telegram.apiRoot,
      timeoutSeconds: cfg.pollTimeoutSeconds + POLL_GRACE_SECONDS,
    }),
    store: new OffsetStore(deps.stateDir),
    timeoutSeconds: cfg.pollTimeoutSeconds,
    log: env.log,
    metrics: env.metrics,
    prepare: async (signal) => {
      // Not bot.init(): it retries forever, silently and unstoppably.
      if (!deps.bot.isInited()) {
        deps.bot.botInfo = await deps.bot.api.getMe(
          signal as Parameters<typeof deps.bot.api.getMe>[0],
        );
      }
      await registerCommands(env);
      // A webhook left from an earlier setup would make getUpdates fail;
      // pending updates are kept (no drop_pending_updates).
      await deps.bot.api.deleteWebhook();
    },
  });
  env.log.info({ mode: "polling" }, "bot started");
  return { stop: () => polling.stop() };
}
