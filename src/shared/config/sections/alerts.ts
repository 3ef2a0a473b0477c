import { z } from "zod";
import { listenSchema, seconds } from "./common.js";

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
    telegram: z
      .strictObject({
        token: z
          .string()
          .min(1)
          .optional()
          .describe(
            "Bot token; better from FARMWATCH_TELEGRAM_TOKEN or " +
              "FARMWATCH_TELEGRAM_TOKEN_FILE.",
          ),
      })
      .prefault({})
      .describe("Telegram delivery and bot."),
    email: z
      .strictObject({
        smtp: z
          .strictObject({
            password: z
              .string()
              .min(1)
              .optional()
              .describe(
                "SMTP password; better from FARMWATCH_SMTP_PASSWORD or " +
                  "FARMWATCH_SMTP_PASSWORD_FILE.",
              ),
          })
          .prefault({})
          .describe("SMTP server."),
      })
      .prefault({})
      .describe("E-mail delivery."),
  })
  .prefault({})
  .describe("The alerts part (`farmwatch alerts`) with its Telegram bot.");
