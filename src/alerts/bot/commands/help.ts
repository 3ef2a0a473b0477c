import type { CommandSpec } from "../env.js";
import { esc } from "../html.js";

/** `/help`, listing `commands` (given by the registry). */
export function helpCommand(commands: () => CommandSpec[]): CommandSpec {
  return {
    command: "help",
    description: "What the bot can do",
    admin: false,
    async run() {
      const lines = commands().map(
        (c) =>
          `/${c.command}: ${esc(c.description)}${c.admin ? " (admins)" : ""}`,
      );
      return { text: ["<b>farmwatch</b>", ...lines].join("\n") };
    },
  };
}
