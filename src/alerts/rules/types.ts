import type { RulesConfig } from "../../shared/config/sections/alerts.js";
import type { FarmView, NodeSnapshot } from "../../shared/views.js";
import type { Severity } from "../api.js";

/** What one node's agent fetch gave this cycle. */
export interface NodeInput {
  node: string;
  url: string;
  /** The snapshot, when the fetch succeeded. */
  snapshot?: NodeSnapshot;
  /** Why the fetch failed, when it did. */
  error?: string;
}

/** Everything a rule sees in one evaluation. */
export interface RuleInput {
  /** Evaluation time, milliseconds since the epoch. */
  nowMs: number;
  /** The exporter's farm view; undefined when it could not be fetched. */
  farm?: FarmView;
  /** Why the farm view is missing, when it is. */
  farmError?: string;
  /** Every expected agent, keyed by node name. */
  nodes: ReadonlyMap<string, NodeInput>;
  rules: RulesConfig;
  /** Whether an alert with this fingerprint is pending or firing now. */
  isActive(fingerprint: string): boolean;
  /** Channels whose every recent delivery attempt failed. */
  failingChannels: readonly { channel: string; error: string }[];
  /** Memory a rule keeps between evaluations (persisted with the state). */
  memory: Record<string, unknown>;
}

/**
 * Which input an alert depends on. When that input is missing in a cycle,
 * the alert keeps its state instead of resolving (a scrape gap is not a
 * recovery).
 */
export type AlertSource = "farm" | "self" | `node:${string}`;

/** A condition that holds now: one would-be alert instance. */
export interface Candidate {
  name: keyof RulesConfig & string;
  labels: Record<string, string>;
  source: AlertSource;
  summary: string;
  description: string;
  value?: number;
  /** Lines listed in the notice (frames, workers, log lines). */
  details?: string[];
  /** A one-off notice: fires once, never sends a resolved notice. */
  event?: boolean;
  /** Job id for a link to the Manager's web UI and a Requeue button. */
  jobId?: string;
}

/** A rule: candidates from the input. Thresholds come from input.rules. */
export type Rule = (input: RuleInput) => Candidate[];

/** Stable identity of an alert: its name and sorted labels. */
export function fingerprint(
  name: string,
  labels: Readonly<Record<string, string>>,
): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`);
  return `${name}{${parts.join(",")}}`;
}

/** Severity of a rule as configured. */
export function severityOf(rules: RulesConfig, name: string): Severity {
  return (rules as Record<string, { severity: Severity }>)[name]!.severity;
}

/** Snapshots of the nodes whose agents answered this cycle. */
export function answering(input: RuleInput): NodeSnapshot[] {
  const out: NodeSnapshot[] = [];
  for (const n of input.nodes.values()) {
    if (n.snapshot !== undefined) out.push(n.snapshot);
  }
  return out;
}
