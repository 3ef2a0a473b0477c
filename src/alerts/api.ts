import type { Bot } from "grammy";
import type { Registry } from "prom-client";
import type { Config } from "../shared/config/schema.js";
import type { FlamencoClient } from "../shared/flamenco/client.js";
import type { Logger } from "../shared/logger.js";
import type { FarmView, NodeSnapshot } from "../shared/views.js";

/** Severity of an alert; decides routing. */
export type Severity = "critical" | "warning" | "info";

/** One alert instance as the alerts part tracks it. */
export interface AlertInstance {
  /** PascalCase rule name, e.g. `FlamencoWorkerStalled`. */
  name: string;
  severity: Severity;
  /** Identifying labels: `node`, `worker`, `job`, `mountpoint`, ... */
  labels: Record<string, string>;
  state: "pending" | "firing" | "resolved";
  /** When the condition was first seen true. */
  activeSince: string;
  /** When it became firing, if it did. */
  firedAt?: string;
  resolvedAt?: string;
  summary: string;
  description: string;
  /** The value that made it fire, when it has one. */
  value?: number;
  /** Whether a silence currently covers it. */
  silenced?: boolean;
}

/** Which alerts a silence covers: every given field must match. */
export interface SilenceMatcher {
  alertname?: string;
  node?: string;
  worker?: string;
  job?: string;
}

export interface Silence {
  id: string;
  matcher: SilenceMatcher;
  startsAt: string;
  endsAt: string;
  reason: string;
  /** Who set it, e.g. `telegram:12345` or `api`. */
  createdBy: string;
}

/** What the alerts part offers to the bot. */
export interface AlertsApi {
  /** Pending and firing alerts, silenced ones flagged. */
  active(): AlertInstance[];
  silences(): Silence[];
  silence(input: Omit<Silence, "id" | "startsAt">): Promise<Silence>;
  /** Ends a silence early; false when no such id. */
  unsilence(id: string): Promise<boolean>;
}

/** Everything the Telegram bot needs, handed over by the alerts part. */
export interface BotDeps {
  /** The grammY bot, shared with the Telegram delivery channel. */
  bot: Bot;
  config: Config;
  logger: Logger;
  /** The alerts part's metrics registry. */
  registry: Registry;
  /** The last farm view read from the exporter, if any. */
  farm(): FarmView | undefined;
  /** The last snapshot of every agent, keyed by node name. */
  nodes(): ReadonlyMap<string, NodeSnapshot>;
  alerts: AlertsApi;
  /** Client for the Manager (requeue); undefined when none is known. */
  manager: FlamencoClient | undefined;
  /** Directory for the bot's own state (update offset, audit log). */
  stateDir: string;
}

/** A running bot. */
export interface RunningBot {
  stop(): Promise<void>;
}
