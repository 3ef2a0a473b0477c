import { z } from "zod";

export const TelegramSchema = z
  .strictObject({
    token: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Bot token; better from FARMWATCH_TELEGRAM_TOKEN or " +
          "FARMWATCH_TELEGRAM_TOKEN_FILE.",
      ),
    apiRoot: z
      .url({ protocol: /^https?$/ })
      .default("https://api.telegram.org")
      .describe("Bot API root; a local fake in tests."),
    chatIds: z
      .array(z.union([z.number().int(), z.string().min(1)]))
      .default([])
      .describe("Chats that get alerts (group ids are negative)."),
    requestTimeoutSeconds: z
      .number()
      .positive()
      .default(10)
      .describe("Give up on one Bot API call after this."),
    blockedRetrySeconds: z
      .number()
      .positive()
      .default(900)
      .describe(
        "How long a chat that blocked or removed the bot (403) is left " +
          "alone before its messages are tried again.",
      ),
    backlogToEmailSeconds: z
      .number()
      .positive()
      .default(600)
      .describe("Also e-mail a Telegram message still waiting after this."),
    maxMessageChars: z
      .number()
      .int()
      .min(200)
      .max(4096)
      .default(4000)
      .describe("Split messages longer than this (Telegram's limit 4096)."),
  })
  .prefault({})
  .describe("Telegram delivery.");
