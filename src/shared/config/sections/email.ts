import { z } from "zod";

const SmtpSchema = z
  .strictObject({
    host: z.string().min(1).optional().describe("SMTP server; unset: off."),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(587)
      .describe("587 STARTTLS (secure false), 465 implicit TLS (true)."),
    secure: z
      .boolean()
      .default(false)
      .describe("Implicit TLS from the first byte (port 465)."),
    requireTLS: z
      .boolean()
      .default(true)
      .describe("Refuse to send unless STARTTLS succeeds."),
    user: z.string().min(1).optional().describe("SMTP login."),
    password: z
      .string()
      .min(1)
      .optional()
      .describe(
        "SMTP password; better from FARMWATCH_SMTP_PASSWORD or " +
          "FARMWATCH_SMTP_PASSWORD_FILE.",
      ),
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe("PEM file of a private CA to trust (never skip checks)."),
    connectionTimeoutSeconds: z
      .number()
      .positive()
      .default(10)
      .describe("Give up on connecting after this."),
    greetingTimeoutSeconds: z
      .number()
      .positive()
      .default(10)
      .describe("Give up waiting for the server's greeting after this."),
    socketTimeoutSeconds: z
      .number()
      .positive()
      .default(30)
      .describe("Give up on an idle connection after this."),
  })
  .prefault({})
  .describe("SMTP server.");

export const EmailSchema = z
  .strictObject({
    smtp: SmtpSchema,
    from: z
      .string()
      .min(1)
      .default("farmwatch@localhost")
      .describe("Sender address."),
    to: z.array(z.string().min(1)).default([]).describe("Recipients."),
    managerWebUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("Manager web UI base for job links; default manager.url."),
    maxAuthAttempts: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe("Login rejections before a message is dead-lettered."),
  })
  .prefault({})
  .describe("E-mail delivery.");
