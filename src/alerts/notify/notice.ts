import type { Severity } from "../api.js";

/** One alert inside a notice. */
export interface NoticeItem {
  labels: Record<string, string>;
  summary: string;
  description: string;
  value?: number;
  details?: string[];
  jobId?: string;
}

/**
 * One grouped notification: every alert of one rule (and one job, for job
 * rules) that changed in the same evaluation. Channels render it.
 */
export interface Notice {
  /** `firing`, `resolved`, a `repeat` of a long firing, or an `update`. */
  status: "firing" | "resolved" | "repeat" | "update";
  alertname: string;
  severity: Severity;
  /** Label shared by the group, e.g. `{ job: "shot_010" }`. */
  group: Record<string, string>;
  items: NoticeItem[];
  /** When it was decided, ISO 8601. */
  at: string;
  /** Where it came from: the built-in rules or Alertmanager. */
  origin: "rules" | "alertmanager";
}

const ICON: Record<Notice["status"], string> = {
  firing: "🔴",
  resolved: "✅",
  repeat: "🔁",
  update: "🔄",
};

/** Escapes text for Telegram's HTML parse mode and for HTML e-mail. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function groupText(n: Notice): string {
  return Object.entries(n.group)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

/** The one-line title: icon, status, rule, group; plain text. */
export function titleOf(n: Notice): string {
  const g = groupText(n);
  const count = n.items.length > 1 ? ` (${n.items.length})` : "";
  return (
    `${ICON[n.status]} ${n.status.toUpperCase()} ${n.alertname}` +
    `${g === "" ? "" : ` · ${g}`}${count}`
  );
}

/** A link to a job in the Manager's web UI. */
export function jobLink(managerWebUrl: string | undefined, jobId: string) {
  if (managerWebUrl === undefined) return undefined;
  return `${managerWebUrl.replace(/\/+$/, "")}/app/jobs/${encodeURIComponent(jobId)}`;
}

/**
 * The notice as HTML lines for Telegram. Every line is balanced (each tag
 * it opens it closes), so a message may be split between any two lines.
 */
export function toHtmlLines(n: Notice, managerWebUrl?: string): string[] {
  const g = groupText(n);
  const lines = [
    `${ICON[n.status]} <b>${n.status.toUpperCase()}</b> ` +
      `<b>${escapeHtml(n.alertname)}</b>` +
      (g === "" ? "" : ` · ${escapeHtml(g)}`) +
      ` <i>[${n.severity}]</i>`,
  ];
  for (const it of n.items) {
    lines.push(`• ${escapeHtml(it.description)}`);
    if (n.status === "resolved") continue;
    for (const d of it.details ?? []) {
      lines.push(`  <code>${escapeHtml(d)}</code>`);
    }
  }
  const links = new Set(n.items.map((i) => i.jobId).filter((j) => j));
  for (const id of links) {
    const url = jobLink(managerWebUrl, id!);
    if (url !== undefined) {
      lines.push(`<a href="${escapeHtml(url)}">Open the job in Flamenco</a>`);
    }
  }
  return lines;
}

/** The notice as plain text (e-mail body, log). */
export function toText(n: Notice, managerWebUrl?: string): string {
  const lines = [titleOf(n), ""];
  for (const it of n.items) {
    lines.push(`- ${it.description}`);
    if (n.status !== "resolved") {
      for (const d of it.details ?? []) lines.push(`    ${d}`);
    }
    const url = it.jobId && jobLink(managerWebUrl, it.jobId);
    if (url) lines.push(`  Job: ${url}`);
  }
  return lines.join("\n");
}

/** The notice as an HTML e-mail body. */
export function toEmailHtml(n: Notice, managerWebUrl?: string): string {
  const items = n.items.map((it) => {
    const details = (n.status === "resolved" ? [] : (it.details ?? []))
      .map((d) => `<br><code>${escapeHtml(d)}</code>`)
      .join("");
    const url = it.jobId && jobLink(managerWebUrl, it.jobId);
    const link = url
      ? `<br><a href="${escapeHtml(url)}">Open the job in Flamenco</a>`
      : "";
    return `<li>${escapeHtml(it.description)}${details}${link}</li>`;
  });
  return (
    `<h3>${escapeHtml(titleOf(n))}</h3><p>${escapeHtml(n.items[0]?.summary ?? "")}</p>` +
    `<ul>${items.join("")}</ul>`
  );
}
