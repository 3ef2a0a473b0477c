import type { MountView, NodeSnapshot } from "../../shared/views.js";
import type { Candidate, RuleInput } from "./types.js";
import { answering, fingerprint } from "./types.js";

type MountRule =
  | "FarmwatchMountDown"
  | "FarmwatchMountHung"
  | "FarmwatchMountReadOnly"
  | "FarmwatchMountStale"
  | "FarmwatchMountWrongShare";

/** The one failure a mount shows, most specific first. */
function classify(m: MountView): MountRule | undefined {
  if (m.hung || m.state === "hung") return "FarmwatchMountHung";
  if (m.state === "stale") return "FarmwatchMountStale";
  if (m.state === "wrong_share") return "FarmwatchMountWrongShare";
  if (m.state === "readonly" || m.readOnly === true || m.writable === false) {
    return "FarmwatchMountReadOnly";
  }
  if (!m.up || m.state !== "ok") return "FarmwatchMountDown";
  return undefined;
}

const SUMMARY: Record<MountRule, string> = {
  FarmwatchMountDown: "A shared mount is down",
  FarmwatchMountHung: "A shared mount hangs",
  FarmwatchMountReadOnly: "A shared mount is read-only",
  FarmwatchMountStale: "A shared mount has a stale file handle",
  FarmwatchMountWrongShare: "A node mounts a different share",
};

/** The share most nodes mount at each mountpoint. */
function majorityShare(snaps: NodeSnapshot[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const s of snaps) {
    for (const m of s.mounts) {
      const id = m.shareId ?? m.source;
      if (id === undefined || !m.up) continue;
      const c = counts.get(m.mountpoint) ?? new Map<string, number>();
      c.set(id, (c.get(id) ?? 0) + 1);
      counts.set(m.mountpoint, c);
    }
  }
  const out = new Map<string, string>();
  for (const [mp, c] of counts) {
    const best = [...c].sort((a, b) => b[1] - a[1]);
    if (best.length > 1 && best[0]![1] > best[1]![1]) out.set(mp, best[0]![0]);
  }
  return out;
}

/** Mounts dropped, hung, read-only, stale or showing another share. */
export function mountProblems(input: RuleInput): Candidate[] {
  const snaps = answering(input);
  const majority = majorityShare(snaps);
  const out: Candidate[] = [];
  for (const s of snaps) {
    for (const m of s.mounts) {
      let kind = classify(m);
      const id = m.shareId ?? m.source;
      const expected = majority.get(m.mountpoint);
      if (kind === undefined && expected !== undefined && id !== expected) {
        kind = "FarmwatchMountWrongShare";
      }
      if (kind === undefined) continue;
      out.push({
        name: kind,
        labels: { node: s.node, mountpoint: m.mountpoint },
        source: `node:${s.node}`,
        summary: SUMMARY[kind],
        description:
          `${m.mountpoint} on ${s.node}: ${m.state}` +
          (m.reason !== undefined ? ` (${m.reason})` : "") +
          (kind === "FarmwatchMountWrongShare" && expected !== undefined
            ? `; shows ${id ?? "?"}, the farm mounts ${expected}`
            : ""),
      });
    }
  }
  return out;
}

/** Free space below the threshold, with a higher clear level. */
export function mountNearlyFull(input: RuleInput): Candidate[] {
  const t = input.rules.FarmwatchMountNearlyFull;
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    for (const m of s.mounts) {
      if (m.freeBytes === undefined || !m.totalBytes) continue;
      const ratio = m.freeBytes / m.totalBytes;
      const labels = { node: s.node, mountpoint: m.mountpoint };
      const fp = fingerprint("FarmwatchMountNearlyFull", labels);
      const active = input.isActive(fp);
      if (active ? ratio > t.clearFreeRatio : ratio >= t.freeRatio) continue;
      out.push({
        name: "FarmwatchMountNearlyFull",
        labels,
        source: `node:${s.node}`,
        summary: "A shared mount is nearly full",
        description: `${m.mountpoint} on ${s.node}: ${(ratio * 100).toFixed(1)} % free.`,
        value: ratio,
      });
    }
  }
  return out;
}
