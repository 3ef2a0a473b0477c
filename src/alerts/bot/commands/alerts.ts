import type { AlertInstance } from "../../api.js";
import type { CommandSpec } from "../env.js";
import { ageSeconds, formatSeconds } from "../format.js";
import { esc, fitLines } from "../html.js";

const SEVERITY_ICON = { critical: "🔴", warning: "🟠", info: "🔵" } as const;
const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function alertLine(a: AlertInstance, now: Date): string {
  const labels = Object.entries(a.labels)
    .filter(([k]) => k !== "alertname")
    .map(([k, v]) => `${esc(k)}=${esc(v)}`)
    .join(" ");
  const since = ageSeconds(a.firedAt ?? a.activeSince, now);
  const age = since !== undefined ? ` · ${formatSeconds(since)}` : "";
  const icon = a.silenced ? "🔕" : SEVERITY_ICON[a.severity];
  const state = a.state === "pending" ? " (pending)" : "";
  return (
    `${icon} <b>${esc(a.name)}</b>${state} ${labels}${age}\n` +
    `   ${esc(a.summary)}`
  );
}

/** `/alerts`: firing and pending alerts, the worst first. */
export const alertsCommand: CommandSpec = {
  command: "alerts",
  description: "Firing alerts",
  admin: false,
  async run(env) {
    const now = env.now();
    const active = env.deps.alerts
      .active()
      .filter((a) => a.state !== "resolved")
      .sort(
        (a, b) =>
          Number(a.silenced ?? false) - Number(b.silenced ?? false) ||
          SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
          a.activeSince.localeCompare(b.activeSince),
      );
    const silences = env.deps.alerts.silences().length;
    const tail =
      silences > 0 ? [`🔕 ${silences} silence(s) active: /unsilence`] : [];
    if (active.length === 0) {
      return { text: ["✅ No alerts.", ...tail].join("\n") };
    }
    return {
      text: fitLines([...active.map((a) => alertLine(a, now)), ...tail]),
    };
  },
};
