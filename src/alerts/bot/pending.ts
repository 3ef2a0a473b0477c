import { randomBytes } from "node:crypto";

/** At most this many confirmations wait at once; the oldest go first. */
const MAX_PENDING = 200;

/** A change shown to a user and waiting for Confirm or Cancel. */
export interface Pending<T> {
  token: string;
  plan: T;
  userId: number;
  chatId: number;
  /** Epoch ms when it was asked. */
  createdAtMs: number;
}

/**
 * Confirmations waiting for a button press, in memory on purpose: after a
 * restart an old button finds nothing and is answered as expired, so a
 * replayed press can never act twice.
 */
export class PendingStore<T> {
  private readonly items = new Map<string, Pending<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a plan; returns its short token for callback data. */
  add(plan: T, userId: number, chatId: number): string {
    const token = randomBytes(6).toString("base64url");
    this.items.set(token, {
      token,
      plan,
      userId,
      chatId,
      createdAtMs: this.now(),
    });
    while (this.items.size > MAX_PENDING) {
      this.items.delete(this.items.keys().next().value!);
    }
    return token;
  }

  /** Removes and returns a live confirmation; undefined when gone or old. */
  take(token: string): Pending<T> | undefined {
    const item = this.items.get(token);
    this.items.delete(token);
    if (item === undefined) return undefined;
    return this.now() - item.createdAtMs > this.ttlMs ? undefined : item;
  }
}
