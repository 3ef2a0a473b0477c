import type { RulesConfig } from "../shared/config/sections/alerts.js";
import type { AlertInstance, Severity } from "./api.js";
import type { AlertSource, Candidate } from "./rules/types.js";
import { fingerprint, severityOf } from "./rules/types.js";

/** One tracked alert, as kept in memory and on disk. Times in epoch ms. */
export interface AlertState {
  fp: string;
  name: string;
  severity: Severity;
  labels: Record<string, string>;
  source: AlertSource;
  state: "pending" | "firing";
  activeSinceMs: number;
  firedAtMs?: number;
  /** Last evaluation in which the condition held. */
  lastTrueMs: number;
  summary: string;
  description: string;
  value?: number;
  details?: string[];
  jobId?: string;
  event?: boolean;
  /** Channels a firing notice went to; empty: not notified. */
  notifiedChannels: string[];
  lastNotifiedMs?: number;
  /** Details changed since the last notice. */
  dirty?: boolean;
}

/** Options of the lifecycle; seconds as configured. */
export interface EngineOptions {
  rules: RulesConfig;
  /** A cleared condition resolves only after this long. */
  keepFiringForSeconds: number;
}

/** What one step of the lifecycle changed. */
export interface StepResult {
  /** Alerts that became firing in this step. */
  fired: AlertState[];
  /** Alerts that resolved (or fired once, for events) and are gone. */
  resolved: AlertState[];
}

function forMs(rules: RulesConfig, name: string): number {
  const r = (rules as Record<string, { forSeconds: number }>)[name];
  return (r?.forSeconds ?? 0) * 1000;
}

/**
 * The alert lifecycle: pending until the condition held for the rule's
 * `for`, then firing, then resolved once the condition stayed false for
 * `keepFiringForSeconds`. An alert whose input was missing this step keeps
 * its state: a failed fetch is neither a new fault nor a recovery.
 */
export class AlertEngine {
  readonly alerts = new Map<string, AlertState>();

  constructor(private readonly options: EngineOptions) {}

  /** Whether the alert is pending or firing. */
  isActive(fp: string): boolean {
    return this.alerts.has(fp);
  }

  /** Replaces the tracked alerts, e.g. with those read from disk. */
  restore(states: readonly AlertState[]): void {
    this.alerts.clear();
    for (const s of states) this.alerts.set(s.fp, s);
  }

  /** Advances every alert to `nowMs` given this step's candidates. */
  step(
    candidates: readonly Candidate[],
    nowMs: number,
    missing: ReadonlySet<AlertSource>,
  ): StepResult {
    const result: StepResult = { fired: [], resolved: [] };
    const seen = new Set<string>();
    for (const c of candidates) {
      const fp = fingerprint(c.name, c.labels);
      if (seen.has(fp)) continue;
      seen.add(fp);
      this.advance(this.upsert(fp, c, nowMs), nowMs, result);
    }
    for (const [fp, a] of this.alerts) {
      if (seen.has(fp)) continue;
      if (missing.has(a.source)) {
        // A gap within keepFiringFor counts as the condition still holding,
        // like a range query over a scrape gap; `for` is not restarted.
        if (nowMs - a.lastTrueMs <= this.keepMs()) {
          this.advance(a, nowMs, result);
        }
        continue;
      }
      if (a.state === "pending") {
        this.alerts.delete(fp);
      } else if (nowMs - a.lastTrueMs >= this.keepMs()) {
        this.alerts.delete(fp);
        result.resolved.push(a);
      }
    }
    return result;
  }

  private keepMs(): number {
    return this.options.keepFiringForSeconds * 1000;
  }

  private upsert(fp: string, c: Candidate, nowMs: number): AlertState {
    const old = this.alerts.get(fp);
    const changed =
      old !== undefined &&
      (old.value !== c.value ||
        JSON.stringify(old.details) !== JSON.stringify(c.details));
    const a: AlertState = {
      ...(old ?? {
        fp,
        state: "pending",
        activeSinceMs: nowMs,
        notifiedChannels: [],
      }),
      name: c.name,
      severity: severityOf(this.options.rules, c.name),
      labels: c.labels,
      source: c.source,
      lastTrueMs: nowMs,
      summary: c.summary,
      description: c.description,
      value: c.value,
      details: c.details,
      jobId: c.jobId,
      event: c.event,
      dirty: (old?.dirty ?? false) || changed,
    };
    this.alerts.set(fp, a);
    return a;
  }

  private advance(a: AlertState, nowMs: number, r: StepResult): void {
    if (a.state !== "pending") return;
    if (nowMs - a.activeSinceMs < forMs(this.options.rules, a.name)) return;
    a.state = "firing";
    a.firedAtMs = nowMs;
    a.dirty = false;
    r.fired.push(a);
    if (a.event === true) {
      this.alerts.delete(a.fp);
      r.resolved.push(a);
    }
  }
}

/** The public view of one tracked alert. */
export function toInstance(a: AlertState, silenced: boolean): AlertInstance {
  return {
    name: a.name,
    severity: a.severity,
    labels: { ...a.labels },
    state: a.state,
    activeSince: new Date(a.activeSinceMs).toISOString(),
    firedAt:
      a.firedAtMs === undefined
        ? undefined
        : new Date(a.firedAtMs).toISOString(),
    summary: a.summary,
    description: a.description,
    value: a.value,
    silenced,
  };
}
