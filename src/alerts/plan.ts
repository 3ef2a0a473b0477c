import type { Config } from "../shared/config/schema.js";
import type { AlertState } from "./engine.js";
import type { Notice, NoticeItem } from "./notify/notice.js";
import { newEntry, type ChannelName, type QueueEntry } from "./queue.js";
import type { Suppression } from "./suppress.js";

type AlertsConfig = Config["alerts"];

/** Where each channel delivers: Telegram chats, e-mail recipients. */
export interface Targets {
  telegram: readonly string[];
  /** Recipients joined by commas; undefined when e-mail is off. */
  email?: string;
}

/** What the planner needs besides the alerts. */
export interface PlanContext {
  nowMs: number;
  config: AlertsConfig;
  targets: Targets;
  suppressed(a: AlertState): Suppression | undefined;
}

/** The channels a route sends alerts with these labels and severity to. */
export function route(
  routes: AlertsConfig["routes"],
  severity: string,
  labels: Record<string, string>,
): ChannelName[] {
  const out = new Set<ChannelName>(["outbox"]);
  for (const r of routes) {
    const sevOk =
      r.severities.length === 0 ||
      (r.severities as readonly string[]).includes(severity);
    const labelsOk = Object.entries(r.labels).every(
      ([k, v]) => (k === "severity" ? severity : labels[k]) === v,
    );
    if (!sevOk || !labelsOk) continue;
    for (const c of r.channels) out.add(c);
    if (!r.continue) break;
  }
  return [...out];
}

function itemOf(a: AlertState): NoticeItem {
  return {
    labels: a.labels,
    summary: a.summary,
    description: a.description,
    value: a.value,
    details: a.details,
    jobId: a.jobId,
  };
}

function statusFor(
  a: AlertState,
  ctx: PlanContext,
): Notice["status"] | undefined {
  if (a.state !== "firing" || ctx.suppressed(a) !== undefined) return undefined;
  if (a.notifiedChannels.length === 0) return "firing";
  const since = ctx.nowMs - (a.lastNotifiedMs ?? 0);
  if (
    a.severity === "critical" &&
    since >= ctx.config.repeatIntervalSeconds * 1000
  ) {
    return "repeat";
  }
  // KNOWN: an update is a new message, not an edit of the first one; the
  // queue keeps no Telegram message ids; storing them per alert would let
  // the channel edit the message in place.
  if (a.dirty && since >= ctx.config.groupIntervalSeconds * 1000) {
    return "update";
  }
  return undefined;
}

type Pending = {
  status: Notice["status"];
  alert: AlertState;
  channels: ChannelName[];
};

/**
 * Decides the notices of one evaluation and turns them into queue entries:
 * firing alerts not yet notified (and not silenced, inhibited or in
 * maintenance), repeats of long critical alerts, updates of changed ones,
 * and a resolved notice for every alert whose firing went out. Alerts of
 * one rule (and one job) are grouped into one notice per channel.
 */
export function planEntries(
  active: Iterable<AlertState>,
  fired: readonly AlertState[],
  resolved: readonly AlertState[],
  ctx: PlanContext,
): QueueEntry[] {
  const pending: Pending[] = [];
  const events = new Set(fired.filter((a) => a.event).map((a) => a.fp));
  for (const a of [...active, ...fired.filter((f) => f.event)]) {
    const status = statusFor(a, ctx);
    if (status === undefined) continue;
    const channels =
      status === "firing"
        ? route(ctx.config.routes, a.severity, a.labels)
        : (a.notifiedChannels as ChannelName[]);
    pending.push({ status, alert: a, channels });
    a.notifiedChannels = channels;
    a.lastNotifiedMs = ctx.nowMs;
    a.dirty = false;
  }
  for (const a of resolved) {
    if (a.event || events.has(a.fp) || a.notifiedChannels.length === 0)
      continue;
    pending.push({
      status: "resolved",
      alert: a,
      channels: a.notifiedChannels as ChannelName[],
    });
  }
  return toEntries(group(pending, ctx.nowMs), ctx);
}

function group(pending: Pending[], nowMs: number) {
  const groups = new Map<
    string,
    { notice: Notice; channels: Set<ChannelName> }
  >();
  for (const p of pending) {
    const job = p.alert.labels["job"];
    const key = `${p.status}\u0000${p.alert.name}\u0000${job ?? ""}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        notice: {
          status: p.status,
          alertname: p.alert.name,
          severity: p.alert.severity,
          group: job === undefined ? {} : { job },
          items: [],
          at: new Date(nowMs).toISOString(),
          origin: "rules",
        },
        channels: new Set(),
      };
      groups.set(key, g);
    }
    g.notice.items.push(itemOf(p.alert));
    for (const c of p.channels) g.channels.add(c);
  }
  return [...groups.values()];
}

/** Queue entries for grouped notices: one per channel target. */
export function toEntries(
  groups: { notice: Notice; channels: Set<ChannelName> }[],
  ctx: { nowMs: number; targets: Targets },
): QueueEntry[] {
  const out: QueueEntry[] = [];
  for (const { notice, channels } of groups) {
    for (const c of channels) {
      if (c === "outbox") out.push(newEntry(c, "file", [notice], ctx.nowMs));
      if (c === "email" && ctx.targets.email !== undefined) {
        out.push(newEntry(c, ctx.targets.email, [notice], ctx.nowMs));
      }
      if (c === "telegram") {
        const emailed =
          channels.has("email") && ctx.targets.email !== undefined;
        for (const chat of ctx.targets.telegram) {
          const entry = newEntry(c, chat, [notice], ctx.nowMs);
          if (emailed) entry.emailCopied = true;
          out.push(entry);
        }
      }
    }
  }
  return out;
}
