/**
 * The fake Bot API's update queue: `getUpdates` long polling with
 * Telegram's offset semantics, and webhook delivery to a loopback URL.
 */
import type { Update } from "grammy/types";
import { apiError, type WireAnswer } from "./fake-bot-api-failures.js";

interface Waiter {
  limit: number;
  allowed: string[] | undefined;
  resolve: (answer: WireAnswer) => void;
  timer: NodeJS.Timeout;
}

/** Webhook as set by `setWebhook`. */
export interface WebhookState {
  url: string;
  secretToken?: string;
  lastErrorMessage?: string;
  lastErrorDate?: number;
}

/** Attempts to deliver one update to a webhook before giving up for now. */
const WEBHOOK_ATTEMPTS = 20;
const WEBHOOK_RETRY_MS = 100;

function updateType(update: Update): string {
  return Object.keys(update).find((k) => k !== "update_id") ?? "";
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return /^127\./.test(host) || host === "::1" || host === "localhost";
}

/** Pending updates, confirmed offset, waiting pollers and the webhook. */
export class UpdateQueue {
  private nextId = 1;
  private pending: Update[] = [];
  private waiter: Waiter | undefined;
  private readonly delivered = new Map<number, number>();
  private delivering = false;
  private closed = false;
  /** Highest update id the bot confirmed through `offset`; 0 for none. */
  confirmedUpTo = 0;
  webhook: WebhookState | undefined;
  /** Called whenever a long poll starts being held open. */
  onPoll: (() => void) | undefined;

  /** Whether a long poll is held open right now. */
  get polling(): boolean {
    return this.waiter !== undefined;
  }

  constructor(
    private readonly maxPollSeconds: number,
    private readonly now: () => number,
  ) {}

  /** Queues an update (its id assigned here) and wakes a poller. */
  push(update: Omit<Update, "update_id">): number {
    const full = { ...update, update_id: this.nextId++ } as Update;
    this.pending.push(full);
    this.wake();
    void this.deliverToWebhook();
    return full.update_id;
  }

  /** How many times the bot received the update with this id. */
  deliveries(updateId: number): number {
    return this.delivered.get(updateId) ?? 0;
  }

  /** Counts updates as received by the bot (written to a live socket). */
  markDelivered(updates: readonly Update[]): void {
    for (const u of updates) {
      this.delivered.set(u.update_id, this.deliveries(u.update_id) + 1);
    }
  }

  /** Updates not yet confirmed by the bot. */
  unconfirmed(): Update[] {
    return [...this.pending];
  }

  /** Answers `getUpdates` as Telegram does, holding it up to `timeout`. */
  getUpdates(
    params: Record<string, unknown>,
    gone: AbortSignal,
  ): Promise<WireAnswer> {
    if (this.webhook !== undefined) {
      return Promise.resolve(
        apiError(
          409,
          "Conflict: can't use getUpdates method while webhook is " +
            "active; use deleteWebhook to delete the webhook first",
        ),
      );
    }
    this.waiter?.resolve(
      apiError(
        409,
        "Conflict: terminated by other getUpdates request; make sure " +
          "that only one bot instance is running",
      ),
    );
    this.confirm(Number(params.offset ?? 0));
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const allowed = Array.isArray(params.allowed_updates)
      ? (params.allowed_updates as string[])
      : undefined;
    const timeoutSeconds = Math.min(
      Math.max(Number(params.timeout ?? 0), 0),
      this.maxPollSeconds,
    );
    const ready = this.take(limit, allowed);
    if (ready.length > 0 || timeoutSeconds === 0 || this.closed) {
      return Promise.resolve({ kind: "json", status: 200, body: ok(ready) });
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        limit,
        allowed,
        resolve: (answer) => {
          clearTimeout(waiter.timer);
          if (this.waiter === waiter) this.waiter = undefined;
          resolve(answer);
        },
        timer: setTimeout(() => {
          waiter.resolve({ kind: "json", status: 200, body: ok([]) });
        }, timeoutSeconds * 1000),
      };
      this.waiter = waiter;
      this.onPoll?.();
      gone.addEventListener("abort", () => {
        if (this.waiter === waiter) this.abandon();
      });
    });
  }

  /** Forgets a poller whose client went away. */
  abandon(): void {
    this.waiter?.resolve({ kind: "json", status: 200, body: ok([]) });
  }

  /** Sets or clears the webhook; returns an error answer when refused. */
  setWebhook(params: Record<string, unknown>): WireAnswer | undefined {
    const url = typeof params.url === "string" ? params.url : "";
    if (params.drop_pending_updates === true) this.pending = [];
    if (url === "") {
      this.webhook = undefined;
      return undefined;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return apiError(400, "Bad Request: bad webhook: invalid URL");
    }
    // Safety: the fake only ever calls loopback, whatever a test sets.
    if (!isLoopback(parsed)) {
      return apiError(
        400,
        "Bad Request: bad webhook: the fake Bot API delivers to " +
          "loopback URLs only",
      );
    }
    this.webhook = { url };
    if (typeof params.secret_token === "string") {
      this.webhook.secretToken = params.secret_token;
    }
    this.abandon();
    void this.deliverToWebhook();
    return undefined;
  }

  /** Answers pollers and stops webhook delivery. */
  close(): void {
    this.closed = true;
    this.abandon();
  }

  private confirm(offset: number): void {
    if (offset < 0) {
      this.pending = this.pending.slice(offset);
    } else if (offset > 0) {
      this.pending = this.pending.filter((u) => u.update_id >= offset);
      this.confirmedUpTo = Math.max(this.confirmedUpTo, offset - 1);
    }
  }

  private take(limit: number, allowed: string[] | undefined): Update[] {
    if (allowed !== undefined && allowed.length > 0) {
      // Telegram drops updates of types the bot did not ask for.
      this.pending = this.pending.filter((u) =>
        allowed.includes(updateType(u)),
      );
    }
    return this.pending.slice(0, limit);
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    const ready = this.take(waiter.limit, waiter.allowed);
    if (ready.length > 0) {
      waiter.resolve({ kind: "json", status: 200, body: ok(ready) });
    }
  }

  private async deliverToWebhook(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      let attempts = 0;
      while (
        this.webhook !== undefined &&
        this.pending.length > 0 &&
        !this.closed &&
        attempts < WEBHOOK_ATTEMPTS
      ) {
        const update = this.pending[0]!;
        if (await this.post(this.webhook, update)) {
          this.pending.shift();
          attempts = 0;
        } else {
          attempts += 1;
          await new Promise((r) => setTimeout(r, WEBHOOK_RETRY_MS));
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private async post(hook: WebhookState, update: Update): Promise<boolean> {
    this.markDelivered([update]);
    const headers: Record<string, string> = {
      "content-type": "application/json",
    };
    if (hook.secretToken !== undefined) {
      headers["x-telegram-bot-api-secret-token"] = hook.secretToken;
    }
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (res.ok) return true;
      hook.lastErrorMessage = `Wrong response from the webhook: ${res.status}`;
    } catch (err) {
      hook.lastErrorMessage = `Connection failed: ${(err as Error).message}`;
    }
    hook.lastErrorDate = Math.floor(this.now() / 1000);
    return false;
  }
}

/** Telegram's success envelope. */
export function ok(result: unknown): { ok: true; result: unknown } {
  return { ok: true, result };
}
