import type { Config } from "./config/schema.js";
import type { Logger } from "./logger.js";

/** What every part gets when it starts: config and logger, nothing else. */
export interface PartContext {
  config: Config;
  logger: Logger;
}

/** A running part of farmwatch. */
export interface RunningPart {
  /** Short name: `agent`, `exporter`, `alerts` or `sim`. */
  name: string;
  /** Base URL of its HTTP server. */
  url: string;
  /** Stops timers, closes the server; resolves when everything is closed. */
  close(): Promise<void>;
}

/** The entry point each part exports as `startX`. */
export type StartPart = (ctx: PartContext) => Promise<RunningPart>;
