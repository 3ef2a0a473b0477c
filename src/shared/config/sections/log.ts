import { z } from "zod";

export const LogSchema = z
  .strictObject({
    level: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info")
      .describe("Lowest level written to the log."),
  })
  .prefault({})
  .describe("Logging, shared by every part.");
