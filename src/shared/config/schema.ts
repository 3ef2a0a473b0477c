import { z } from "zod";
import { AgentSchema } from "./sections/agent.js";
import { AlertsSchema } from "./sections/alerts.js";
import { ExporterSchema } from "./sections/exporter.js";
import { LogSchema } from "./sections/log.js";
import { ManagerSchema } from "./sections/manager.js";
import { SimSchema } from "./sections/sim.js";

/**
 * The whole configuration file. Every part reads its own section; defaults
 * live here and in the section schemas, nowhere else.
 */
export const ConfigSchema = z
  .strictObject({
    log: LogSchema,
    manager: ManagerSchema,
    agent: AgentSchema,
    exporter: ExporterSchema,
    alerts: AlertsSchema,
    sim: SimSchema,
  })
  .describe("farmwatch configuration.");

/** The validated, defaulted configuration. */
export type Config = z.output<typeof ConfigSchema>;

/** Key paths that hold secrets: redacted whenever config is shown. */
export const SECRET_PATHS: readonly (readonly string[])[] = [
  ["alerts", "telegram", "token"],
  ["alerts", "email", "smtp", "password"],
  ["alerts", "bot", "webhook", "secretToken"],
];

/** Environment variables that supply secrets, and the key each fills. */
export const SECRET_ENV: readonly { env: string; path: readonly string[] }[] = [
  { env: "FARMWATCH_TELEGRAM_TOKEN", path: SECRET_PATHS[0]! },
  { env: "FARMWATCH_SMTP_PASSWORD", path: SECRET_PATHS[1]! },
];
