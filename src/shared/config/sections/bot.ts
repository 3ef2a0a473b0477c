import { z } from "zod";

export const BotSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Answer commands when a Telegram token is set."),
  })
  .prefault({})
  .describe("The Telegram bot's commands (/status, /requeue, ...).");
