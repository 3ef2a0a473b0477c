import type { Candidate, RuleInput } from "./types.js";
import { answering, fingerprint } from "./types.js";

/** An expected agent did not answer: a dead node is not a quiet node. */
export function agentDown(input: RuleInput): Candidate[] {
  const out: Candidate[] = [];
  for (const n of input.nodes.values()) {
    if (n.snapshot !== undefined) continue;
    out.push({
      name: "FarmwatchAgentDown",
      labels: { node: n.node },
      source: "self",
      summary: "A node's agent does not answer",
      description: `Agent of ${n.node} at ${n.url}: ${n.error ?? "no answer"}`,
    });
  }
  return out;
}

/** Available memory low, with a clear level above the fire level. */
export function memoryLow(input: RuleInput): Candidate[] {
  const t = input.rules.FarmwatchNodeMemoryLow;
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    const avail = s.host?.memoryAvailableBytes;
    const total = s.host?.memoryTotalBytes;
    if (avail === undefined || total === undefined || total <= 0) continue;
    const ratio = avail / total;
    const labels = { node: s.node };
    const active = input.isActive(
      fingerprint("FarmwatchNodeMemoryLow", labels),
    );
    const limit = active ? t.clearAvailableRatio : t.availableRatio;
    if (!(active ? ratio <= limit : ratio < limit)) continue;
    out.push({
      name: "FarmwatchNodeMemoryLow",
      labels,
      source: `node:${s.node}`,
      summary: "Node memory nearly exhausted",
      description: `${s.node}: ${(ratio * 100).toFixed(1)} % memory available.`,
      value: ratio,
    });
  }
  return out;
}

function distinct(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/** Blender or worker versions differ across the nodes. */
export function versionMismatch(input: RuleInput): Candidate[] {
  const snaps = answering(input);
  const kinds: [string, (string | undefined)[]][] = [
    ["blender", snaps.map((s) => s.worker?.blenderVersion)],
    [
      "worker",
      input.farm?.workers.map((w) => w.version) ??
        snaps.map((s) => s.worker?.workerVersion),
    ],
  ];
  const out: Candidate[] = [];
  for (const [component, values] of kinds) {
    const versions = distinct(values);
    if (versions.length < 2) continue;
    out.push({
      name: "FarmwatchVersionMismatch",
      labels: { component },
      source: "self",
      summary: "Versions differ across the farm",
      description: `${component} versions in use: ${versions.join(", ")}.`,
      value: versions.length,
    });
  }
  return out;
}
