import { createHash } from "node:crypto";
import type { Severity } from "./api.js";
import type { Notice } from "./notify/notice.js";
import { route, toEntries, type Targets } from "./plan.js";
import type { ChannelName, QueueEntry } from "./queue.js";
import type { Config } from "../shared/config/schema.js";

/** One alert of Alertmanager's webhook payload (version 4). */
export interface WebhookAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}

/** Alertmanager's webhook payload, version 4. */
export interface WebhookPayload {
  version: string;
  groupKey: string;
  status: "firing" | "resolved";
  alerts: WebhookAlert[];
}

/** Why a payload was refused, or undefined when it is usable. */
export function checkPayload(body: unknown): string | undefined {
  const p = body as Partial<WebhookPayload> | null;
  if (p === null || typeof p !== "object") return "body is not an object";
  if (p.version !== "4") return `version ${String(p.version)}, expected "4"`;
  if (!Array.isArray(p.alerts)) return "alerts is not a list";
  for (const a of p.alerts) {
    if (a?.status !== "firing" && a?.status !== "resolved") {
      return "an alert has no firing/resolved status";
    }
    if (typeof a.labels !== "object" || a.labels === null) {
      return "an alert has no labels";
    }
  }
  return undefined;
}

/** Identity of one delivery: Alertmanager retries the same payload. */
export function payloadKey(p: WebhookPayload): string {
  const parts = p.alerts.map(
    (a) =>
      `${a.fingerprint ?? JSON.stringify(a.labels)}|${a.status}|${a.startsAt}|${a.endsAt}`,
  );
  return createHash("sha256")
    .update(`${p.groupKey}\n${parts.sort().join("\n")}`)
    .digest("hex");
}

function severityOf(labels: Record<string, string>): Severity {
  const s = labels["severity"];
  return s === "critical" || s === "info" ? s : "warning";
}

/**
 * Turns a webhook payload into queue entries, grouped by status and alert
 * name, routed by severity and labels like the built-in rules.
 */
export function webhookEntries(
  p: WebhookPayload,
  o: { nowMs: number; routes: Config["alerts"]["routes"]; targets: Targets },
): QueueEntry[] {
  const groups = new Map<
    string,
    { notice: Notice; channels: Set<ChannelName> }
  >();
  for (const a of p.alerts) {
    const name = a.labels["alertname"] ?? "AlertmanagerAlert";
    const key = `${a.status}\u0000${name}`;
    const sev = severityOf(a.labels);
    const g = groups.get(key) ?? {
      notice: {
        status: a.status,
        alertname: name,
        severity: sev,
        group: {},
        items: [],
        at: new Date(o.nowMs).toISOString(),
        origin: "alertmanager" as const,
      },
      channels: new Set<ChannelName>(),
    };
    const ann = a.annotations ?? {};
    g.notice.items.push({
      labels: a.labels,
      summary: ann["summary"] ?? name,
      description: ann["description"] ?? ann["summary"] ?? name,
      jobId: a.labels["job_id"],
    });
    for (const c of route(o.routes, sev, a.labels)) g.channels.add(c);
    groups.set(key, g);
  }
  return toEntries([...groups.values()], o);
}
