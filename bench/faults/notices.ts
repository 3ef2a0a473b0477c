import { readFileSync } from "node:fs";
import path from "node:path";
import type { FaultFarm } from "./farm.js";
import { ALERT_CHAT_ID } from "./farm.js";

/** Where a notice can be seen. */
export type Sink = "outbox" | "telegram" | "email";
/** Every sink, in report order. */
export const SINKS: readonly Sink[] = ["outbox", "telegram", "email"];

/** One firing or resolved notice as seen in a sink. */
export interface Seen {
  status: string;
  alertname: string;
  severity?: string;
}

const TITLE = /^(?:🔴|✅|🔁|🔄) (FIRING|RESOLVED|REPEAT|UPDATE) (\w+)/u;

/** Notice titles in a rendered message (a digest holds several). */
export function titlesIn(text: string): Seen[] {
  const out: Seen[] = [];
  for (const line of text.split("\n")) {
    const m = TITLE.exec(line.trim());
    if (m) out.push({ status: m[1]!.toLowerCase(), alertname: m[2]! });
  }
  return out;
}

/**
 * Outbox lines, one per notice, without the repeats a crash between the
 * write and the queue's acknowledgement may leave (same entry id).
 */
export function readOutbox(stateDir: string): Seen[] {
  let text = "";
  try {
    text = readFileSync(path.join(stateDir, "outbox.jsonl"), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const seen = new Set<string>();
  const out: Seen[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let n: Record<string, unknown>;
    try {
      n = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // A line cut by a full disk or a kill; counted as not delivered.
      continue;
    }
    const key = JSON.stringify([n.id, n.alertname, n.status, n.group]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      status: String(n.status),
      alertname: String(n.alertname),
      severity: String(n.severity),
    });
  }
  return out;
}

/** Everything every sink has received so far. */
export function collect(farm: FaultFarm): Record<Sink, Seen[]> {
  return {
    outbox: readOutbox(farm.layout.stateDir),
    telegram: farm.bot
      .botMessages(ALERT_CHAT_ID)
      .flatMap((m) => titlesIn(m.text)),
    email: farm.smtp.mails.flatMap((m) => titlesIn(m.text)),
  };
}

/** How often `alertname` was seen with `status` in `list`. */
export function count(list: Seen[], alertname: string, status: string): number {
  return list.filter((s) => s.alertname === alertname && s.status === status)
    .length;
}
