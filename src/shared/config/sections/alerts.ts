import { z } from "zod";
import { BotSchema } from "./bot.js";
import { listenSchema, seconds } from "./common.js";
import { EmailSchema } from "./email.js";
import { TelegramSchema } from "./telegram.js";

export const AlertsSchema = z
  .strictObject({
    listen: listenSchema("127.0.0.1", 9792),
    exporterUrl: z
      .url({ protocol: /^https?$/ })
      .default("http://127.0.0.1:9791")
      .describe("Base URL of the exporter whose farm view is read."),
    agents: z
      .array(z.url({ protocol: /^https?$/ }))
      .default([])
      .describe(
        "Agent base URLs read besides those the exporter lists, " +
          "e.g. http://render-01:9790.",
      ),
    evaluateIntervalSeconds: seconds(10, "How often rules are evaluated."),
    fetchTimeoutSeconds: seconds(5, "Give up on one view fetch after this."),
    stateDir: z
      .string()
      .min(1)
      .default(".farmwatch")
      .describe("Directory for alert state, the outbox and the queue."),
    telegram: TelegramSchema,
    email: EmailSchema,
    bot: BotSchema,
  })
  .prefault({})
  .describe("The alerts part (`farmwatch alerts`) with its Telegram bot.");
