import { z } from "zod";
import { listenSchema, seconds } from "./common.js";

const telegramIds = (description: string) =>
  z.array(z.number().int()).default([]).describe(description);

/** `alerts.bot.webhook`: receiving updates by webhook. */
export const BotWebhookSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        "Receive updates by webhook instead of long polling; needs a " +
          "public HTTPS address that forwards to `listen`.",
      ),
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        "Public URL Telegram posts updates to, e.g. " +
          "https://farm.example.org/telegram.",
      ),
    listen: listenSchema("127.0.0.1", 9793),
    path: z
      .string()
      .regex(/^\//)
      .default("/telegram")
      .describe("Path the webhook server answers on."),
    secretToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/)
      .optional()
      .describe(
        "Secret Telegram sends with every update " +
          "(X-Telegram-Bot-Api-Secret-Token); updates without it are refused.",
      ),
  })
  .prefault({})
  .describe("Webhook mode of the bot.");

/** `alerts.bot`: who may use the bot's commands, and how it polls. */
export const BotSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Answer commands when a Telegram token is set."),
    allowedChatIds: telegramIds(
      "Chats the bot answers in besides the alert chats " +
        "(`telegram.chatIds`) and private chats of listed users.",
    ),
    readUserIds: telegramIds(
      "Telegram user ids allowed to use reading commands " +
        "(/status, /jobs, ...).",
    ),
    adminUserIds: telegramIds(
      "Telegram user ids allowed to read and to change things " +
        "(/requeue, /silence, /unsilence).",
    ),
    managerTimeoutSeconds: seconds(
      10,
      "Give up on one Manager call made for a command after this.",
    ),
    pollTimeoutSeconds: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(30)
      .describe("Long-polling timeout of one getUpdates call."),
    confirmTimeoutSeconds: seconds(
      600,
      "A confirmation button older than this is refused.",
    ),
    webhook: BotWebhookSchema,
  })
  .prefault({})
  .describe("The Telegram bot's commands (/status, /requeue, ...).");
