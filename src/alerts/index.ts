import { Bot } from "grammy";
import type { Config } from "../shared/config/schema.js";
import { FlamencoClient } from "../shared/flamenco/client.js";
import { createPartServer, listenPart } from "../shared/http-server.js";
import type { PartContext, RunningPart } from "../shared/part.js";
import type { BotDeps, RunningBot } from "./api.js";
import { EmailChannel } from "./channels/email.js";
import { OutboxChannel } from "./channels/outbox.js";
import { TelegramChannel } from "./channels/telegram.js";
import { requeueButton, startBot } from "./bot/index.js";
import { fetchViews } from "./fetch-views.js";
import { addRoutes } from "./http.js";
import type { Channel, ChannelName } from "./queue.js";
import { SingleFlight } from "./scheduler.js";
import { AlertsService } from "./service.js";

/** How often due deliveries are looked for, milliseconds. */
const DELIVERY_TICK_MS = 1000;

function managerWebUrl(config: Config): string | undefined {
  return config.alerts.email.managerWebUrl ?? config.manager.url;
}

function createBot(config: Config): Bot | undefined {
  const t = config.alerts.telegram;
  if (t.token === undefined) return undefined;
  return new Bot(t.token, {
    client: { apiRoot: t.apiRoot, timeoutSeconds: t.requestTimeoutSeconds },
  });
}

async function startBotIfWanted(
  deps: BotDeps,
): Promise<RunningBot | undefined> {
  if (!deps.config.alerts.bot.enabled) return undefined;
  try {
    return await startBot(deps);
  } catch (err) {
    // Alerts still go out without the bot's commands; say so loudly.
    deps.logger.error({ err }, "telegram bot not started");
    return undefined;
  }
}

/** Adds the outbox, Telegram and e-mail channels the config asks for. */
function addChannels(
  svc: AlertsService,
  channels: Map<ChannelName, Channel>,
  ctx: PartContext,
  bot: Bot | undefined,
): EmailChannel | undefined {
  const { config, logger } = ctx;
  const a = config.alerts;
  channels.set("outbox", new OutboxChannel(a.stateDir, logger));
  if (bot !== undefined) {
    channels.set(
      "telegram",
      new TelegramChannel({
        bot,
        logger: logger.child({ channel: "telegram" }),
        maxMessageChars: a.telegram.maxMessageChars,
        managerWebUrl: managerWebUrl(config),
        requeueButton,
        blockedRetryMs: a.telegram.blockedRetrySeconds * 1000,
        onThrottled: () => svc.metrics.throttled.inc(),
      }),
    );
  }
  if (a.email.smtp.host === undefined) return undefined;
  const email = new EmailChannel({
    email: a.email,
    logger: logger.child({ channel: "email" }),
    managerWebUrl: managerWebUrl(config),
    onFailure: (code) => svc.metrics.emailFailures.inc({ code }),
  });
  channels.set("email", email);
  void email.verify();
  return email;
}

/** Starts evaluation and delivery loops, each single-flight. */
function startLoops(svc: AlertsService, ctx: PartContext) {
  const hooks = {
    skipped: (job: string) => svc.metrics.schedulerSkipped.inc({ job }),
    succeeded: (job: string, atMs: number) =>
      svc.metrics.schedulerLastSuccess.set({ job }, atMs / 1000),
  };
  const evaluate = new SingleFlight(
    "alerts_evaluate",
    () =>
      svc.evaluate().catch((err: unknown) => {
        ctx.logger.error({ err }, "evaluation failed");
        throw err;
      }),
    hooks,
  );
  const deliver = new SingleFlight("alerts_deliver", () => svc.kick(), hooks);
  evaluate.start(ctx.config.alerts.evaluateIntervalSeconds * 1000);
  deliver.start(DELIVERY_TICK_MS);
  return async () => {
    await evaluate.stop();
    await deliver.stop();
  };
}

/** What the Telegram bot gets from this part. */
function botDeps(
  svc: AlertsService,
  ctx: PartContext,
  bot: Bot,
  manager: FlamencoClient | undefined,
): BotDeps {
  return {
    bot,
    config: ctx.config,
    logger: ctx.logger.child({ component: "bot" }),
    registry: svc.metrics.registry,
    farm: () => svc.farm,
    nodes: () => svc.nodes,
    alerts: svc,
    manager,
    stateDir: ctx.config.alerts.stateDir,
  };
}

/**
 * Starts the alerts part: reads the views every
 * `alerts.evaluateIntervalSeconds`, evaluates the rules and delivers the
 * notices to the outbox, Telegram and e-mail; serves `/api/v1/alerts`,
 * `/api/v1/silences`, `/api/v1/alertmanager` and `/metrics`. With a
 * Telegram token, its grammY bot both delivers and, when
 * `alerts.bot.enabled`, answers commands.
 */
export async function startAlerts(ctx: PartContext): Promise<RunningPart> {
  const a = ctx.config.alerts;
  const bot = createBot(ctx.config);
  const channels = new Map<ChannelName, Channel>();
  const svc = new AlertsService({
    config: ctx.config,
    logger: ctx.logger,
    now: Date.now,
    fetch: (known) =>
      fetchViews({
        exporterUrl: a.exporterUrl,
        agentUrls: a.agents,
        discover: a.discoverAgents,
        known,
        timeoutMs: a.fetchTimeoutSeconds * 1000,
      }),
    channels,
  });
  const email = addChannels(svc, channels, ctx, bot);
  await svc.start();
  const app = createPartServer({
    logger: ctx.logger,
    registry: svc.metrics.registry,
    health: () => ({ ok: true, queue: svc.store.data.queue.length }),
  });
  addRoutes(app, svc);
  const url = await listenPart(app, a.listen);
  const stopLoops = startLoops(svc, ctx);
  const m = ctx.config.manager;
  const manager =
    bot === undefined || m.url === undefined
      ? undefined
      : new FlamencoClient({
          baseUrl: m.url,
          timeoutSeconds: m.requestTimeoutSeconds,
        });
  const runningBot =
    bot === undefined
      ? undefined
      : await startBotIfWanted(botDeps(svc, ctx, bot, manager));
  ctx.logger.info(
    { url, channels: [...channels.keys()], stateDir: a.stateDir },
    "alerts started",
  );
  return {
    name: "alerts",
    url,
    async close() {
      await stopLoops();
      await runningBot?.stop();
      await manager?.close();
      await svc.close();
      email?.close();
      await app.close();
    },
  };
}
