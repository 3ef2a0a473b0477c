import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Key paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  "token",
  "password",
  "pass",
  "*.token",
  "*.password",
  "*.pass",
  "*.*.token",
  "*.*.password",
  "*.*.pass",
  "config.telegram.token",
  "config.email.smtp.password",
  "headers.authorization",
  "req.headers.authorization",
];

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** pino level name; default `info`. */
  level?: string;
  /** Where lines go; default standard output. */
  destination?: DestinationStream;
}

/**
 * The process's one root logger: JSON lines, object first, secrets
 * redacted by path. Components take a child: `logger.child({ component })`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
