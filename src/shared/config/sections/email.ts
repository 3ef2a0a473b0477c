import { z } from "zod";

export const EmailSchema = z
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
  .describe("E-mail delivery.");
