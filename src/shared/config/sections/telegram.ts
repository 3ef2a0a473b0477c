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
  })
  .prefault({})
  .describe("Telegram delivery.");
