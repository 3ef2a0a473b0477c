import { exporterDown, farmInoperative, managerDown } from "./farm.js";
import { workersVanished } from "./farm.js";
import { gpuHot, gpuQueryFailing, gpuThrottled } from "./gpu.js";
import { framesFailed, jobFailed, jobFinished } from "./jobs.js";
import { jobStuck, jobUnservable } from "./jobs.js";
import { mountNearlyFull, mountProblems } from "./mounts.js";
import { agentDown, memoryLow, versionMismatch } from "./nodes.js";
import { pathMappingSuspect } from "./path-mapping.js";
import { tailscaleDown, tailscaleKeyExpiring } from "./tailscale.js";
import { tailscalePeers } from "./tailscale.js";
import type { Candidate, Rule, RuleInput } from "./types.js";
import { workerStalled, renderHung } from "./workers.js";

/** A delivery channel failing every attempt. */
function deliveryFailing(input: RuleInput): Candidate[] {
  return input.failingChannels.map((c) => ({
    name: "FarmwatchDeliveryFailing" as const,
    labels: { channel: c.channel },
    source: "self" as const,
    summary: "Alerts cannot be delivered through a channel",
    description: `${c.channel}: ${c.error}`,
  }));
}

/** Every built-in rule by the name its evaluation is measured under. */
export const RULES: Readonly<Record<string, Rule>> = {
  exporterDown,
  managerDown,
  farmInoperative,
  workersVanished,
  workerStalled,
  renderHung,
  framesFailed,
  jobFailed,
  jobStuck,
  jobUnservable,
  pathMappingSuspect,
  jobFinished,
  agentDown,
  mountProblems,
  mountNearlyFull,
  tailscaleDown,
  tailscaleKeyExpiring,
  tailscalePeers,
  gpuQueryFailing,
  gpuHot,
  gpuThrottled,
  memoryLow,
  versionMismatch,
  deliveryFailing,
};

/** What one evaluation of all rules gave. */
export interface RulesOutcome {
  candidates: Candidate[];
  /** Rules that threw, by rule key, with the error. */
  failed: Map<string, unknown>;
  /** Seconds each rule took, by rule key. */
  durations: Map<string, number>;
}

/**
 * Runs every rule; one throwing rule is recorded and does not stop the
 * others. Candidates of disabled rules are dropped.
 */
export function evaluateRules(input: RuleInput): RulesOutcome {
  const out: RulesOutcome = {
    candidates: [],
    failed: new Map(),
    durations: new Map(),
  };
  const enabled = input.rules as Record<string, { enabled: boolean }>;
  for (const [key, rule] of Object.entries(RULES)) {
    const start = performance.now();
    try {
      for (const c of rule(input)) {
        if (enabled[c.name]?.enabled !== false) out.candidates.push(c);
      }
    } catch (err) {
      out.failed.set(key, err);
    }
    out.durations.set(key, (performance.now() - start) / 1000);
  }
  return out;
}
