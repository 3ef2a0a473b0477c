import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { QueueEntry } from "./queue.js";

/** The alerts part's metrics, in its own registry. */
export interface AlertsMetrics {
  registry: Registry;
  notifications: Counter<"channel" | "outcome">;
  throttled: Counter<string>;
  emailFailures: Counter<"code">;
  evaluationSuccess: Gauge<string>;
  evaluationDuration: Histogram<string>;
  ruleSuccess: Gauge<"rule">;
  ruleDuration: Gauge<"rule">;
  collectorSuccess: Gauge<"collector">;
  collectorDuration: Gauge<"collector">;
  agentUp: Gauge<"node">;
  schedulerSkipped: Counter<"job">;
  schedulerLastSuccess: Gauge<"job">;
}

/**
 * Creates the metrics. Queue length and age and alert counts are read at
 * scrape time from the live state through the given callbacks.
 */
export function createMetrics(live: {
  queue(): readonly QueueEntry[];
  dead(): readonly QueueEntry[];
  alerts(): readonly { severity: string; state: string }[];
  now(): number;
}): AlertsMetrics {
  const registry = new Registry();
  const r = [registry];
  new Gauge({
    name: "farmwatch_alerts_queue_length",
    help: "Messages waiting for delivery, by channel.",
    labelNames: ["channel"],
    registers: r,
    collect() {
      this.reset();
      for (const c of ["telegram", "email", "outbox"])
        this.set({ channel: c }, 0);
      for (const e of live.queue()) this.inc({ channel: e.channel });
    },
  });
  new Gauge({
    name: "farmwatch_alerts_queue_oldest_age_seconds",
    help: "Age of the oldest message waiting for delivery in seconds, by channel.",
    labelNames: ["channel"],
    registers: r,
    collect() {
      this.reset();
      const oldest = new Map<string, number>();
      for (const e of live.queue()) {
        oldest.set(
          e.channel,
          Math.min(oldest.get(e.channel) ?? Infinity, e.createdMs),
        );
      }
      for (const [c, ms] of oldest)
        this.set({ channel: c }, (live.now() - ms) / 1000);
    },
  });
  new Gauge({
    name: "farmwatch_alerts_dead_messages",
    help: "Messages given up on and kept in the dead list.",
    registers: r,
    collect() {
      this.set(live.dead().length);
    },
  });
  new Gauge({
    name: "farmwatch_alerts_active",
    help: "Alerts pending or firing, by severity and state.",
    labelNames: ["severity", "state"],
    registers: r,
    collect() {
      this.reset();
      for (const a of live.alerts())
        this.inc({ severity: a.severity, state: a.state });
    },
  });
  return {
    registry,
    notifications: new Counter({
      name: "farmwatch_alerts_notifications_total",
      help: "Delivery attempts by channel and outcome (sent, retry, throttled, dead, migrated).",
      labelNames: ["channel", "outcome"],
      registers: r,
    }),
    throttled: new Counter({
      name: "farmwatch_telegram_send_throttled_total",
      help: "Telegram answers 429 Too Many Requests.",
      registers: r,
    }),
    emailFailures: new Counter({
      name: "farmwatch_email_send_failures_total",
      help: "Failed e-mail attempts by diagnosis code.",
      labelNames: ["code"],
      registers: r,
    }),
    evaluationSuccess: new Gauge({
      name: "farmwatch_alerts_evaluation_success",
      help: "Whether the last rule evaluation ran every rule (1) or not (0).",
      registers: r,
    }),
    evaluationDuration: new Histogram({
      name: "farmwatch_alerts_evaluation_duration_seconds",
      help: "Duration of one evaluation, fetches included, in seconds.",
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10],
      registers: r,
    }),
    ruleSuccess: new Gauge({
      name: "farmwatch_alerts_rule_evaluation_success",
      help: "Whether the rule ran without error in the last evaluation.",
      labelNames: ["rule"],
      registers: r,
    }),
    ruleDuration: new Gauge({
      name: "farmwatch_alerts_rule_evaluation_duration_seconds",
      help: "Duration of the rule in the last evaluation in seconds.",
      labelNames: ["rule"],
      registers: r,
    }),
    collectorSuccess: new Gauge({
      name: "farmwatch_scrape_collector_success",
      help: "Whether the input source was read in the last evaluation.",
      labelNames: ["collector"],
      registers: r,
    }),
    collectorDuration: new Gauge({
      name: "farmwatch_scrape_collector_duration_seconds",
      help: "Duration of reading the input source in seconds.",
      labelNames: ["collector"],
      registers: r,
    }),
    agentUp: new Gauge({
      name: "farmwatch_alerts_agent_up",
      help: "Whether the node's agent answered the last fetch.",
      labelNames: ["node"],
      registers: r,
    }),
    schedulerSkipped: new Counter({
      name: "farmwatch_scheduler_skipped_total",
      help: "Scheduled runs skipped because the previous run was still active.",
      labelNames: ["job"],
      registers: r,
    }),
    schedulerLastSuccess: new Gauge({
      name: "farmwatch_scheduler_last_success_timestamp_seconds",
      help: "When the scheduled job last finished successfully, Unix seconds.",
      labelNames: ["job"],
      registers: r,
    }),
  };
}
