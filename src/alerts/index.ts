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

/**
 * Starts the alerts part: reads the views every
 * `alerts.evaluateIntervalSeconds`, evaluates the rules and delivers the
 * notices to the outbox, Telegram and e-mail; serves `/api/v1/alerts`,
 * `/api/v1/silences`, `/api/v1/alertmanager` and `/metrics`.
 */
export async function startAlerts(ctx: PartContext): Promise<RunningPart> {
  const { config, logger } = ctx;
  const a = config.alerts;
  const bot = createBot(config);
  const channels = new Map<ChannelName, Channel>();
  const svc = new AlertsService({
    config,
    logger,
    now: Date.now,
    fetch: (known) =>
      fetchViews({
        exporterUrl: a.exporterUrl,
        agentUrls: a.agents,
        known,
        timeoutMs: a.fetchTimeoutSeconds * 1000,
      }),
    channels,
  });
  if (bot !== undefined) {
    channels.set(
      "telegram",
      new TelegramChannel({
        bot,
        logger: logger.child({ channel: "telegram" }),
        maxMessageChars: a.telegram.maxMessageChars,
        managerWebUrl: managerWebUrl(config),
        requeueButton,
        onThrottled: () => svc.metrics.throttled.inc(),
      }),
    );
  }
  channels.set("outbox", new OutboxChannel(a.stateDir, logger));
  const email =
    a.email.smtp.host === undefined
      ? undefined
      : new EmailChannel({
          email: a.email,
          logger: logger.child({ channel: "email" }),
          managerWebUrl: managerWebUrl(config),
          onFailure: (code) => svc.metrics.emailFailures.inc({ code }),
        });
  if (email !== undefined) {
    channels.set("email", email);
    void email.verify();
  }
  await svc.start();
  const hooks = {
    skipped: (job: string) => svc.metrics.schedulerSkipped.inc({ job }),
    succeeded: (job: string, atMs: number) =>
      svc.metrics.schedulerLastSuccess.set({ job }, atMs / 1000),
  };
  const evaluate = new SingleFlight(
    "alerts_evaluate",
    () =>
      svc.evaluate().catch((err: unknown) => {
        logger.error({ err }, "evaluation failed");
        throw err;
      }),
    hooks,
  );
  const deliver = new SingleFlight("alerts_deliver", () => svc.kick(), hooks);
  const app = createPartServer({
    logger,
    registry: svc.metrics.registry,
    health: () => ({ ok: true, queue: svc.store.data.queue.length }),
  });
  addRoutes(app, svc);
  const url = await listenPart(app, a.listen);
  evaluate.start(a.evaluateIntervalSeconds * 1000);
  deliver.start(DELIVERY_TICK_MS);
  const runningBot =
    bot === undefined
      ? undefined
      : await startBotIfWanted({
          bot,
          config,
          logger: logger.child({ component: "bot" }),
          registry: svc.metrics.registry,
          farm: () => svc.farm,
          nodes: () => svc.nodes,
          alerts: svc,
          manager:
            config.manager.url === undefined
              ? undefined
              : new FlamencoClient({
                  baseUrl: config.manager.url,
                  timeoutSeconds: config.manager.requestTimeoutSeconds,
                }),
          stateDir: a.stateDir,
        });
  logger.info(
    { url, channels: [...channels.keys()], stateDir: a.stateDir },
    "alerts started",
  );
  return {
    name: "alerts",
    url,
    async close() {
      await evaluate.stop();
      await deliver.stop();
      await runningBot?.stop();
      await svc.close();
      email?.close();
      await app.close();
    },
  };
}
