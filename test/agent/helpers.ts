import path from "node:path";
import { pino, type Logger } from "pino";
import { ConfigSchema, type Config } from "../../src/shared/config/schema.js";

/** Fixture root of the agent tests. */
export const FIXTURES = path.resolve("test/agent/fixtures");

/** Agent config from a partial agent section, on loopback port 0. */
export function agentConfig(
  agent: Record<string, unknown> = {},
): Config["agent"] {
  return testConfig(agent).agent;
}

/** A whole config whose agent section is `agent`. */
export function testConfig(agent: Record<string, unknown> = {}): Config {
  return ConfigSchema.parse({
    agent: {
      listen: { host: "127.0.0.1", port: 0 },
      procPath: path.join(FIXTURES, "proc"),
      sysPath: path.join(FIXTURES, "sys"),
      ...agent,
    },
  });
}

/** One captured log line. */
export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger writing into an array, for assertions on logs. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: "debug" },
    { write: (s: string) => lines.push(JSON.parse(s) as LogLine) },
  );
  return { logger, lines };
}
