/**
 * Failure injection for the fake Bot API's `sendMessage` (and the other
 * sending methods): queued one-off failures and the lasting chat states
 * Telegram keeps (a blocked bot, a migrated group, a flood-wait window).
 */

/** What an injected failure looks like on the wire. */
export type FailureKind =
  "429" | "403" | "migrate" | "400" | "500" | "502" | "hang" | "reset";

/** One queued failure; see {@link FailureQueue.add}. */
export interface FailureSpec {
  kind: FailureKind;
  /** Only calls for this chat fail; default any chat. */
  chatId?: number | string;
  /** How many matching calls fail; default 1. */
  count?: number;
  /** For `429`: the `retry_after` sent; default 5. */
  retryAfterSeconds?: number;
  /**
   * For `429`: whether later calls to that chat keep getting 429 until
   * `retryAfterSeconds` have passed on the fake's clock, as Telegram does;
   * default true.
   */
  holdRetryAfter?: boolean;
  /** For `migrate`: the supergroup id; default `-100` + the group id. */
  migrateToChatId?: number;
  /** For `400`: the description; default "Bad Request: chat not found". */
  description?: string;
}

/** The raw answer the server sends; `hang` and `reset` send nothing. */
export type WireAnswer =
  | { kind: "json"; status: number; body: unknown }
  | { kind: "raw"; status: number; contentType: string; body: string }
  | { kind: "hang" }
  | { kind: "reset" };

/** Telegram's error envelope. */
export function apiError(
  status: number,
  description: string,
  parameters?: Record<string, number>,
): WireAnswer {
  const body: Record<string, unknown> = {
    ok: false,
    error_code: status,
    description,
  };
  if (parameters !== undefined) body.parameters = parameters;
  return { kind: "json", status, body };
}

const BAD_GATEWAY_HTML =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>" +
  "\r\n</body>\r\n</html>\r\n";

function migrateTarget(chatId: string, spec: FailureSpec): number {
  if (spec.migrateToChatId !== undefined) return spec.migrateToChatId;
  const n = Math.abs(Number(chatId));
  return Number.isFinite(n) ? -Number(`100${n}`) : -1001;
}

/** Queued failures plus the chat states that outlive one call. */
export class FailureQueue {
  private readonly queue: (FailureSpec & { left: number })[] = [];
  /** Chat id -> supergroup id it was migrated to. */
  readonly migrated = new Map<string, number>();
  /** Chats whose user blocked the bot. */
  readonly blocked = new Set<string>();
  /** Chat id -> fake-clock ms until which sends get 429. */
  private readonly floodUntil = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Queues a failure for the next matching sending call(s). */
  add(spec: FailureSpec): void {
    this.queue.push({ ...spec, left: spec.count ?? 1 });
  }

  /** Number of queued failures not yet used. */
  pending(): number {
    return this.queue.reduce((n, f) => n + f.left, 0);
  }

  /** The failure for a sending call to `chatId`, if one applies. */
  take(chatId: string): WireAnswer | undefined {
    const lasting = this.lasting(chatId);
    if (lasting !== undefined) return lasting;
    const index = this.queue.findIndex(
      (f) => f.chatId === undefined || String(f.chatId) === chatId,
    );
    if (index === -1) return undefined;
    const spec = this.queue[index]!;
    spec.left -= 1;
    if (spec.left <= 0) this.queue.splice(index, 1);
    return this.answer(chatId, spec);
  }

  private lasting(chatId: string): WireAnswer | undefined {
    const to = this.migrated.get(chatId);
    if (to !== undefined) {
      return apiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        { migrate_to_chat_id: to },
      );
    }
    if (this.blocked.has(chatId)) {
      return apiError(403, "Forbidden: bot was blocked by the user");
    }
    const until = this.floodUntil.get(chatId);
    if (until !== undefined && this.now() < until) {
      const left = Math.ceil((until - this.now()) / 1000);
      return apiError(429, `Too Many Requests: retry after ${left}`, {
        retry_after: left,
      });
    }
    return undefined;
  }

  private answer(chatId: string, spec: FailureSpec): WireAnswer {
    switch (spec.kind) {
      case "429": {
        const after = spec.retryAfterSeconds ?? 5;
        if (spec.holdRetryAfter ?? true) {
          this.floodUntil.set(chatId, this.now() + after * 1000);
        }
        return apiError(429, `Too Many Requests: retry after ${after}`, {
          retry_after: after,
        });
      }
      case "403":
        return apiError(403, "Forbidden: bot was blocked by the user");
      case "migrate":
        this.migrated.set(chatId, migrateTarget(chatId, spec));
        return this.lasting(chatId)!;
      case "400":
        return apiError(400, spec.description ?? "Bad Request: chat not found");
      case "500":
        return apiError(500, "Internal Server Error");
      case "502":
        return {
          kind: "raw",
          status: 502,
          contentType: "text/html",
          body: BAD_GATEWAY_HTML,
        };
      case "hang":
        return { kind: "hang" };
      case "reset":
        return { kind: "reset" };
    }
  }
}
