import { Counter, type Registry } from "prom-client";

/** The bot's metrics, registered in the alerts part's registry. */
export interface BotMetrics {
  /** Commands and button presses by command and outcome. */
  commands: Counter<"command" | "outcome">;
  /** Updates from chats or users that are not allowed. */
  unauthorized: Counter<"kind">;
  /** Changes asked of the Manager or the alerts part, by outcome. */
  changes: Counter<"action" | "outcome">;
  /** getUpdates calls that failed. */
  pollErrors: Counter<string>;
}

/** Creates the bot's counters in `registry`. */
export function createBotMetrics(registry: Registry): BotMetrics {
  return {
    commands: new Counter({
      name: "farmwatch_bot_commands_total",
      help: "Bot commands and button presses handled, by command and outcome.",
      labelNames: ["command", "outcome"],
      registers: [registry],
    }),
    unauthorized: new Counter({
      name: "farmwatch_bot_unauthorized_total",
      help: "Updates refused because the chat or user is not allowed.",
      labelNames: ["kind"],
      registers: [registry],
    }),
    changes: new Counter({
      name: "farmwatch_bot_changes_total",
      help: "Changes made from Telegram (requeue, silence), by outcome.",
      labelNames: ["action", "outcome"],
      registers: [registry],
    }),
    pollErrors: new Counter({
      name: "farmwatch_bot_poll_errors_total",
      help: "Telegram getUpdates calls that failed.",
      registers: [registry],
    }),
  };
}
