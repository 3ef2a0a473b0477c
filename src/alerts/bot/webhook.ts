import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webhookCallback, type Bot } from "grammy";
import type { Config } from "../../shared/config/schema.js";
import { ConfigError } from "../../shared/errors.js";
import { ALLOWED_UPDATES } from "./polling.js";

/** A running webhook server. */
export interface Webhook {
  /** Where the server listens, e.g. `http://127.0.0.1:9793`. */
  url: string;
  stop(): Promise<void>;
}

function requireUrl(url: string | undefined): string {
  if (url !== undefined) return url;
  throw new ConfigError("alerts.bot.webhook.url is required in webhook mode", [
    {
      path: "alerts.bot.webhook.url",
      expected: "a public https URL",
      received: "nothing",
    },
  ]);
}

/**
 * Webhook mode: a small HTTP server takes Telegram's POSTs on
 * `alerts.bot.webhook.path` (checking the secret token) and the webhook is
 * registered at `alerts.bot.webhook.url`. Telegram keeps an update until
 * the server answered 2xx, so nothing is dropped while farmwatch is down.
 */
export async function startWebhook(bot: Bot, config: Config): Promise<Webhook> {
  const hook = config.alerts.bot.webhook;
  const url = requireUrl(hook.url);
  const handler = webhookCallback(bot, "http", {
    ...(hook.secretToken ? { secretToken: hook.secretToken } : {}),
    onTimeout: "return",
  });
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== hook.path) {
      res.writeHead(404).end();
      return;
    }
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(hook.listen.port, hook.listen.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await bot.api.setWebhook(url, {
    allowed_updates: [...ALLOWED_UPDATES],
    ...(hook.secretToken ? { secret_token: hook.secretToken } : {}),
  });
  return {
    url: `http://${hook.listen.host}:${port}`,
    async stop() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
