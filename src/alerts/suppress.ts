import cron from "node-cron";
import type { Config } from "../shared/config/schema.js";
import type { Severity, Silence, SilenceMatcher } from "./api.js";
import type { AlertState } from "./engine.js";

/** Why an alert is not notified now, or undefined when it is. */
export type Suppression = "silenced" | "inhibited" | "maintenance";

/** Whether a silence's matcher covers the alert. */
export function matches(m: SilenceMatcher, a: AlertState): boolean {
  if (m.alertname !== undefined && m.alertname !== a.name) return false;
  const node = a.labels["node"] ?? a.labels["worker"];
  if (m.node !== undefined && m.node !== node) return false;
  if (m.worker !== undefined && m.worker !== a.labels["worker"]) return false;
  if (m.job !== undefined && m.job !== a.labels["job"]) return false;
  return true;
}

/** Whether a silence is in force at `nowMs`. */
export function silenceActive(s: Silence, nowMs: number): boolean {
  return Date.parse(s.startsAt) <= nowMs && nowMs < Date.parse(s.endsAt);
}

/**
 * Whether another firing alert hides this one: the Manager or exporter
 * down hides every other Flamenco alert; an agent down hides the other
 * Farmwatch alerts of its node; a path mapping suspect hides the failed
 * frames of its job.
 */
export function inhibited(
  a: AlertState,
  firing: readonly AlertState[],
): boolean {
  for (const src of firing) {
    if (src.fp === a.fp) continue;
    const n = src.name;
    if (
      (n === "FlamencoManagerDown" || n === "FarmwatchExporterDown") &&
      a.name.startsWith("Flamenco")
    ) {
      return true;
    }
    if (
      n === "FarmwatchAgentDown" &&
      a.name.startsWith("Farmwatch") &&
      a.labels["node"] === src.labels["node"]
    ) {
      return true;
    }
    if (
      n === "FlamencoPathMappingSuspect" &&
      a.name === "FlamencoFramesFailed" &&
      a.labels["job"] === src.labels["job"]
    ) {
      return true;
    }
  }
  return false;
}

/** The alert's suppression at `nowMs`, most specific reason first. */
export function suppression(
  a: AlertState,
  ctx: {
    nowMs: number;
    silences: readonly Silence[];
    firing: readonly AlertState[];
    maintenance: Config["alerts"]["maintenance"];
  },
): Suppression | undefined {
  if (
    ctx.silences.some(
      (s) => silenceActive(s, ctx.nowMs) && matches(s.matcher, a),
    )
  ) {
    return "silenced";
  }
  const node = a.labels["node"] ?? a.labels["worker"];
  for (const w of ctx.maintenance) {
    if (
      Date.parse(w.startsAt) > ctx.nowMs ||
      ctx.nowMs >= Date.parse(w.endsAt)
    ) {
      continue;
    }
    if (
      w.nodes.length === 0 ||
      (node !== undefined && w.nodes.includes(node))
    ) {
      return "maintenance";
    }
  }
  return inhibited(a, ctx.firing) ? "inhibited" : undefined;
}

/**
 * Quiet hours: cron patterns of the minutes in which notices of some
 * severities are held back (not dropped) until the window ends. node-cron
 * matches the pattern in the window's time zone.
 */
export class QuietHours {
  private readonly windows: {
    task: ReturnType<typeof cron.createTask>;
    severities: readonly Severity[];
  }[];

  constructor(windows: Config["alerts"]["quietHours"]) {
    this.windows = windows.map((w) => ({
      task: cron.createTask(w.cron, () => undefined, { timezone: w.timezone }),
      severities: w.severities,
    }));
  }

  /** Whether notices of `severity` are held at `nowMs`. */
  holds(severity: Severity, nowMs: number): boolean {
    // Patterns name minutes; node-cron also compares seconds.
    const minute = new Date(nowMs - (nowMs % 60_000));
    return this.windows.some(
      (w) => w.severities.includes(severity) && w.task.match(minute),
    );
  }

  /** Stops the node-cron tasks. */
  close(): void {
    for (const w of this.windows) void w.task.destroy();
  }
}
