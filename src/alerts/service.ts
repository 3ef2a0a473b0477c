import { randomUUID } from "node:crypto";
import type { Config } from "../shared/config/schema.js";
import type { Logger } from "../shared/logger.js";
import type { FarmView, NodeSnapshot } from "../shared/views.js";
import type { AlertInstance, AlertsApi, Silence } from "./api.js";
import { AlertEngine, toInstance, type AlertState } from "./engine.js";
import type { Views } from "./fetch-views.js";
import { createMetrics, type AlertsMetrics } from "./metrics.js";
import { planEntries, type Targets } from "./plan.js";
import { DeliveryQueue, newEntry } from "./queue.js";
import type { Channel, ChannelName, QueueEntry } from "./queue.js";
import { evaluateRules } from "./rules/index.js";
import type { AlertSource } from "./rules/types.js";
import { StateStore } from "./store.js";
import { QuietHours, suppression, silenceActive } from "./suppress.js";

/** Options of {@link AlertsService}. */
export interface ServiceOptions {
  config: Config;
  logger: Logger;
  /** Clock, epoch ms; a fake one in tests. */
  now: () => number;
  /** One round of reading the views; given the agents known so far. */
  fetch: (known: Readonly<Record<string, string>>) => Promise<Views>;
  channels: ReadonlyMap<ChannelName, Channel>;
}

/**
 * The alerts part without its timers and server: evaluation, lifecycle,
 * planning, the delivery queue and the state on disk. `evaluate()` never
 * waits on delivery; `deliver()` sends what is due.
 */
export class AlertsService implements AlertsApi {
  readonly store: StateStore;
  readonly engine: AlertEngine;
  readonly queue: DeliveryQueue;
  readonly metrics: AlertsMetrics;
  readonly quiet: QuietHours;
  farm: FarmView | undefined;
  readonly nodes = new Map<string, NodeSnapshot>();
  private delivering: Promise<void> | undefined;
  private failingRules = new Set<string>();

  constructor(readonly o: ServiceOptions) {
    const a = o.config.alerts;
    this.store = new StateStore(a.stateDir);
    this.engine = new AlertEngine({
      rules: a.rules,
      keepFiringForSeconds: a.keepFiringForSeconds,
    });
    this.quiet = new QuietHours(a.quietHours);
    this.metrics = createMetrics({
      queue: () => this.store.data.queue,
      dead: () => this.store.data.dead,
      alerts: () => [...this.engine.alerts.values()],
      now: o.now,
    });
    this.queue = new DeliveryQueue({
      store: this.store,
      channels: o.channels,
      now: o.now,
      logger: o.logger,
      maxAttempts: a.deliveryMaxAttempts,
      retryMaxSeconds: a.deliveryRetryMaxSeconds,
      hooks: {
        outcome: (channel, outcome) =>
          this.metrics.notifications.inc({ channel, outcome }),
        dead: (e) => this.copyToEmail(e),
        copyToEmail: (e) => this.copyToEmail(e),
        holds: (e, nowMs) =>
          e.channel !== "outbox" &&
          this.quiet.holds(e.notices[0]!.severity, nowMs),
      },
    });
  }

  /** Reads the state from disk; alerts and queue continue where they were. */
  async start(): Promise<void> {
    const data = await this.store.load();
    this.engine.restore(data.alerts);
  }

  /** Where each channel delivers now, following migrated chats. */
  targets(): Targets {
    const cfg = this.o.config.alerts;
    const mig = this.store.data.chatMigrations;
    const chats = this.o.channels.has("telegram")
      ? cfg.telegram.chatIds.map((c) => mig[String(c)] ?? String(c))
      : [];
    const email =
      this.o.channels.has("email") && cfg.email.to.length > 0
        ? cfg.email.to.join(",")
        : undefined;
    return { telegram: chats, email };
  }

  /** One evaluation: fetch, rules, lifecycle, plan, persist. */
  async evaluate(): Promise<void> {
    const end = this.metrics.evaluationDuration.startTimer();
    const nowMs = this.o.now();
    const views = await this.o.fetch(this.store.data.knownAgents);
    this.store.data.knownAgents = views.agents;
    this.observeViews(views);
    const outcome = this.runRules(views, nowMs);
    const step = this.engine.step(outcome.candidates, nowMs, missing(views));
    const entries = planEntries(
      this.engine.alerts.values(),
      step.fired,
      step.resolved,
      {
        nowMs,
        config: this.o.config.alerts,
        targets: this.targets(),
        suppressed: (a) => this.suppressed(a, nowMs),
      },
    );
    this.queue.enqueue(entries);
    this.copyBacklogToEmail(nowMs);
    this.store.data.alerts = [...this.engine.alerts.values()];
    await this.store.save();
    end();
    this.kick();
  }

  private runRules(views: Views, nowMs: number) {
    const outcome = evaluateRules({
      nowMs,
      farm: views.farm,
      farmError: views.farmError,
      nodes: views.nodes,
      rules: this.o.config.alerts.rules,
      isActive: (fp) => this.engine.isActive(fp),
      memory: this.store.data.memory,
      failingChannels: this.failingChannels(),
    });
    for (const [rule, s] of outcome.durations) {
      this.metrics.ruleDuration.set({ rule }, s);
      this.metrics.ruleSuccess.set({ rule }, outcome.failed.has(rule) ? 0 : 1);
    }
    this.logRuleFailures(outcome.failed);
    this.metrics.evaluationSuccess.set(outcome.failed.size === 0 ? 1 : 0);
    return outcome;
  }

  /** Logs a rule when it starts failing and when it recovers only. */
  private logRuleFailures(failed: ReadonlyMap<string, unknown>): void {
    for (const [rule, err] of failed) {
      if (!this.failingRules.has(rule)) {
        this.o.logger.error({ rule, err }, "rule failed");
      }
    }
    for (const rule of this.failingRules) {
      if (!failed.has(rule)) this.o.logger.info({ rule }, "rule recovered");
    }
    this.failingRules = new Set(failed.keys());
  }

  private observeViews(views: Views): void {
    this.metrics.collectorSuccess.set(
      { collector: "farm" },
      views.farm ? 1 : 0,
    );
    if (views.farm !== undefined) this.farm = views.farm;
    this.metrics.agentUp.reset();
    let ok = 0;
    for (const n of views.nodes.values()) {
      this.metrics.agentUp.set({ node: n.node }, n.snapshot ? 1 : 0);
      if (n.snapshot === undefined) continue;
      ok += 1;
      this.nodes.set(n.node, n.snapshot);
    }
    this.metrics.collectorSuccess.set(
      { collector: "agents" },
      ok === views.nodes.size ? 1 : 0,
    );
  }

  private failingChannels() {
    const out: { channel: string; error: string }[] = [];
    for (const [channel, h] of this.queue.health) {
      if (h.failingSinceMs === undefined || channel === "outbox") continue;
      out.push({ channel, error: h.lastError ?? "failing" });
    }
    return out;
  }

  private suppressed(a: AlertState, nowMs: number) {
    const firing = [...this.engine.alerts.values()].filter(
      (x) => x.state === "firing",
    );
    return suppression(a, {
      nowMs,
      silences: this.store.data.silences,
      firing,
      maintenance: this.o.config.alerts.maintenance,
    });
  }

  /** Starts a delivery round unless one runs; never awaited by rules. */
  kick(): Promise<void> {
    this.delivering ??= this.queue
      .runDue()
      .catch((err: unknown) => {
        this.o.logger.error({ err }, "delivery round failed");
      })
      .finally(() => {
        this.delivering = undefined;
      });
    return this.delivering;
  }

  /** Sends what is due and waits for it (tests, shutdown). */
  async deliver(): Promise<void> {
    await this.delivering;
    await this.kick();
  }

  /** Adds entries built elsewhere (Alertmanager) and persists them. */
  async enqueue(entries: QueueEntry[]): Promise<void> {
    this.queue.enqueue(entries);
    await this.store.save();
    this.kick();
  }

  /**
   * A Telegram message still waiting after `backlogToEmailSeconds` (a long
   * rate limit, an outage) is also sent by e-mail, once.
   */
  private copyBacklogToEmail(nowMs: number): void {
    const email = this.targets().email;
    if (email === undefined) return;
    const limitMs = this.o.config.alerts.telegram.backlogToEmailSeconds * 1000;
    for (const e of [...this.store.data.queue]) {
      if (e.channel !== "telegram" || e.emailCopied) continue;
      if (nowMs - e.createdMs < limitMs) continue;
      e.emailCopied = true;
      this.queue.enqueue([newEntry("email", email, e.notices, nowMs)]);
    }
  }

  /**
   * A Telegram message its chat refuses or gave up on also goes out by
   * e-mail, once, unless its route e-mails it anyway.
   */
  private copyToEmail(e: QueueEntry): void {
    const email = this.targets().email;
    if (e.channel !== "telegram" || email === undefined || e.emailCopied) {
      return;
    }
    e.emailCopied = true;
    this.queue.enqueue([newEntry("email", email, e.notices, this.o.now())]);
  }

  active(): AlertInstance[] {
    const nowMs = this.o.now();
    return [...this.engine.alerts.values()].map((a) =>
      toInstance(a, this.suppressed(a, nowMs) === "silenced"),
    );
  }

  silences(): Silence[] {
    const nowMs = this.o.now();
    return this.store.data.silences.filter((s) => Date.parse(s.endsAt) > nowMs);
  }

  async silence(input: Omit<Silence, "id" | "startsAt">): Promise<Silence> {
    const s: Silence = {
      ...input,
      id: randomUUID(),
      startsAt: new Date(this.o.now()).toISOString(),
    };
    this.store.data.silences.push(s);
    await this.store.save();
    this.o.logger.info({ silence: s.id, matcher: s.matcher }, "silence added");
    return s;
  }

  async unsilence(id: string): Promise<boolean> {
    const nowMs = this.o.now();
    const s = this.store.data.silences.find((x) => x.id === id);
    if (s === undefined || !silenceActive(s, nowMs)) return false;
    s.endsAt = new Date(nowMs).toISOString();
    await this.store.save();
    return true;
  }

  /** Stops node-cron tasks and waits for delivery in progress. */
  async close(): Promise<void> {
    this.quiet.close();
    await this.delivering;
  }
}

function missing(views: Views): Set<AlertSource> {
  const out = new Set<AlertSource>();
  if (views.farm === undefined) out.add("farm");
  for (const n of views.nodes.values()) {
    if (n.snapshot === undefined) out.add(`node:${n.node}`);
  }
  return out;
}
