import { randomUUID } from "node:crypto";
import type { Logger } from "../shared/logger.js";
import type { Notice } from "./notify/notice.js";
import type { StateStore } from "./store.js";

/** Most messages kept in the dead list; older ones leave it. */
const MAX_DEAD = 1000;

/** Names of the delivery channels. */
export type ChannelName = "telegram" | "email" | "outbox";

/** One message waiting for delivery; persisted before it is sent. */
export interface QueueEntry {
  id: string;
  channel: ChannelName;
  /** Chat id for Telegram, recipients for e-mail, `file` for the outbox. */
  target: string;
  /** One notice, or several coalesced into a digest. */
  notices: Notice[];
  createdMs: number;
  nextAttemptMs: number;
  attempts: number;
  /** Telegram: the message's parts, fixed on the first attempt. */
  parts?: string[];
  /** Parts already acknowledged; never sent again. */
  sentParts: number;
  lastError?: string;
  /**
   * Its notice goes out by e-mail too (routed there, or copied because
   * Telegram held or refused it): no further e-mail copy is made.
   */
  emailCopied?: boolean;
}

/** How one delivery attempt ended. */
export type SendOutcome =
  | { kind: "sent" }
  /**
   * Try again later; `pauseMs` holds the whole lane (rate limit, blocked
   * chat); `copyToEmail` asks for an e-mail copy meanwhile.
   */
  | {
      kind: "retry";
      error: string;
      pauseMs?: number;
      code?: string;
      copyToEmail?: boolean;
    }
  | { kind: "dead"; error: string; code: string }
  /** The chat moved (group to supergroup): send there instead, now. */
  | { kind: "retarget"; target: string };

/** A way out: Telegram, e-mail, the outbox file. */
export interface Channel {
  readonly name: ChannelName;
  /**
   * Sends what is left of `entry`. After each acknowledged part it bumps
   * `entry.sentParts` and awaits `progress()`, which persists the queue.
   */
  send(entry: QueueEntry, progress: () => Promise<void>): Promise<SendOutcome>;
  /** Merges a backlog of one lane into fewer entries; optional. */
  coalesce?(entries: QueueEntry[]): QueueEntry[];
}

/** Counters the queue reports to. */
export interface QueueHooks {
  outcome(channel: ChannelName, outcome: string, code?: string): void;
  /** A message was given up on; it stays in the dead list. */
  dead(entry: QueueEntry): void;
  /** A message is held back by its channel and should go by e-mail too. */
  copyToEmail(entry: QueueEntry): void;
  /** Whether the entry is held (quiet hours) at `nowMs`. */
  holds(entry: QueueEntry, nowMs: number): boolean;
}

/** Options of {@link DeliveryQueue}. */
export interface QueueOptions {
  store: StateStore;
  channels: ReadonlyMap<ChannelName, Channel>;
  now: () => number;
  logger: Logger;
  hooks: QueueHooks;
  /** Attempts before an entry is dead-lettered. */
  maxAttempts: number;
  /** Longest wait between two attempts, seconds. */
  retryMaxSeconds: number;
}

/** Builds a queue entry for a notice. */
export function newEntry(
  channel: ChannelName,
  target: string,
  notices: Notice[],
  nowMs: number,
): QueueEntry {
  return {
    id: randomUUID(),
    channel,
    target,
    notices,
    createdMs: nowMs,
    nextAttemptMs: nowMs,
    attempts: 0,
    sentParts: 0,
  };
}

function laneOf(e: QueueEntry): string {
  return `${e.channel}\u0000${e.target}`;
}

/**
 * The never-lost delivery queue. Entries are persisted before the first
 * attempt and removed only after the channel acknowledged them, so a crash
 * leaves them to be sent after restart. Each lane (channel and target) is
 * sent in order, one message at a time; lanes run independently, so a
 * rate-limited chat holds only itself.
 */
export class DeliveryQueue {
  private readonly running = new Set<string>();
  /** Per channel: when it last delivered and since when it fails. */
  readonly health = new Map<
    ChannelName,
    { failingSinceMs?: number; lastError?: string }
  >();

  constructor(private readonly o: QueueOptions) {}

  get entries(): QueueEntry[] {
    return this.o.store.data.queue;
  }

  /** Adds entries; the caller persists the store before any delivery. */
  enqueue(entries: readonly QueueEntry[]): void {
    this.entries.push(...entries);
  }

  /** Sends everything due now; resolves when the lanes it ran are idle. */
  async runDue(): Promise<void> {
    const now = this.o.now();
    const lanes = new Set<string>();
    for (const e of this.entries) {
      if (this.isDue(e, now)) lanes.add(laneOf(e));
    }
    const runs = [...lanes]
      .filter((l) => !this.running.has(l))
      .map((l) => this.runLane(l));
    await Promise.all(runs);
  }

  private isDue(e: QueueEntry, now: number): boolean {
    const pause = this.o.store.data.lanePauses[laneOf(e)] ?? 0;
    return (
      e.nextAttemptMs <= now && pause <= now && !this.o.hooks.holds(e, now)
    );
  }

  private due(lane: string): QueueEntry[] {
    const now = this.o.now();
    return this.entries
      .filter((e) => laneOf(e) === lane && this.isDue(e, now))
      .sort((a, b) => a.createdMs - b.createdMs);
  }

  private async runLane(lane: string): Promise<void> {
    this.running.add(lane);
    try {
      for (;;) {
        let due = this.due(lane);
        if (due.length === 0) return;
        const channel = this.o.channels.get(due[0]!.channel);
        if (channel === undefined) return;
        if (channel.coalesce !== undefined && due.length > 1) {
          due = await this.coalesce(channel, due);
        }
        if (!(await this.attempt(channel, due[0]!))) return;
      }
    } finally {
      this.running.delete(lane);
    }
  }

  private async coalesce(
    channel: Channel,
    due: QueueEntry[],
  ): Promise<QueueEntry[]> {
    const merged = channel.coalesce!(due);
    if (merged.length === due.length) return due;
    const gone = new Set(due.map((e) => e.id));
    this.o.store.data.queue = this.entries
      .filter((e) => !gone.has(e.id))
      .concat(merged);
    await this.o.store.save();
    return merged;
  }

  /** One attempt; true when the lane may go on with its next entry. */
  private async attempt(channel: Channel, e: QueueEntry): Promise<boolean> {
    let outcome: SendOutcome;
    try {
      outcome = await channel.send(e, () => this.o.store.save());
    } catch (err) {
      outcome = { kind: "retry", error: (err as Error).message };
    }
    const now = this.o.now();
    switch (outcome.kind) {
      case "sent":
        this.remove(e);
        delete this.o.store.data.lanePauses[laneOf(e)];
        this.health.set(channel.name, {});
        this.o.hooks.outcome(channel.name, "sent");
        await this.o.store.save();
        return true;
      case "retarget":
        this.retarget(e, outcome.target);
        this.o.hooks.outcome(channel.name, "migrated");
        await this.o.store.save();
        return true;
      case "dead":
        this.markFailing(channel.name, now, outcome.error);
        this.kill(e, outcome.error, outcome.code);
        await this.o.store.save();
        return true;
      case "retry":
        return this.retry(channel.name, e, outcome, now);
    }
  }

  private async retry(
    name: ChannelName,
    e: QueueEntry,
    o: {
      error: string;
      pauseMs?: number;
      code?: string;
      copyToEmail?: boolean;
    },
    now: number,
  ): Promise<boolean> {
    e.attempts += 1;
    if (o.copyToEmail) this.o.hooks.copyToEmail(e);
    e.lastError = o.error;
    this.markFailing(name, now, o.error);
    if (e.attempts >= this.o.maxAttempts) {
      this.kill(e, o.error, o.code ?? "max_attempts");
      await this.o.store.save();
      return true;
    }
    const backoff = Math.min(
      this.o.retryMaxSeconds * 1000,
      1000 * 2 ** Math.min(e.attempts - 1, 20),
    );
    const wait = o.pauseMs ?? backoff * (0.8 + 0.4 * Math.random());
    e.nextAttemptMs = now + wait;
    if (o.pauseMs !== undefined) {
      // A rate limit holds the whole chat, entries added later included.
      this.o.store.data.lanePauses[laneOf(e)] = now + wait;
    }
    this.o.hooks.outcome(name, o.pauseMs ? "throttled" : "retry", o.code);
    this.o.logger.warn(
      {
        channel: name,
        attempts: e.attempts,
        waitMs: Math.round(wait),
        err: o.error,
      },
      "delivery failed, will retry",
    );
    await this.o.store.save();
    return false;
  }

  private markFailing(name: ChannelName, now: number, error: string) {
    const h = this.health.get(name) ?? {};
    this.health.set(name, {
      failingSinceMs: h.failingSinceMs ?? now,
      lastError: error,
    });
  }

  private remove(e: QueueEntry): void {
    this.o.store.data.queue = this.entries.filter((x) => x.id !== e.id);
  }

  private kill(e: QueueEntry, error: string, code: string): void {
    this.remove(e);
    e.lastError = error;
    const dead = this.o.store.data.dead;
    dead.push(e);
    // The dead list is for reading; the log and metric have every loss.
    if (dead.length > MAX_DEAD) dead.splice(0, dead.length - MAX_DEAD);
    this.o.hooks.outcome(e.channel, "dead", code);
    this.o.logger.error(
      { channel: e.channel, code, err: error, id: e.id },
      "message given up, kept in the dead list",
    );
    this.o.hooks.dead(e);
  }

  private retarget(e: QueueEntry, target: string): void {
    const old = e.target;
    this.o.store.data.chatMigrations[old] = target;
    for (const x of this.entries) {
      if (x.channel === e.channel && x.target === old) x.target = target;
    }
    this.o.logger.warn({ channel: e.channel }, "chat migrated, following it");
  }
}
