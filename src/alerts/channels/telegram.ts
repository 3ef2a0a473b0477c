import { GrammyError, HttpError, InlineKeyboard, type Bot } from "grammy";
import type { Logger } from "../../shared/logger.js";
import { toHtmlLines } from "../notify/notice.js";
import { splitHtml } from "../notify/split.js";
import type { Channel, QueueEntry, SendOutcome } from "../queue.js";

/** Builds the Requeue button of a failed job. */
export type RequeueButton = (jobId: string) => InlineKeyboard;

/** The default Requeue button: callback data `rq:j:<jobId>`. */
export function defaultRequeueButton(jobId: string): InlineKeyboard {
  return new InlineKeyboard().text("Requeue failed tasks", `rq:j:${jobId}`);
}

/** Options of {@link TelegramChannel}. */
export interface TelegramOptions {
  bot: Bot;
  logger: Logger;
  /** Longest message sent, UTF-16 code units; at most 4096. */
  maxMessageChars: number;
  managerWebUrl?: string;
  requeueButton: RequeueButton;
  /** Wait before retrying a chat that answered 403, milliseconds. */
  blockedRetryMs: number;
  /** Counts throttling, for `farmwatch_telegram_throttled_total`. */
  onThrottled(): void;
}

/** Backlogs at least this long are merged into a digest. */
const DIGEST_AT = 5;

const BUTTON_RULES = new Set(["FlamencoFramesFailed", "FlamencoJobFailed"]);

/**
 * Telegram delivery through grammY, HTML parse mode. Handles what the Bot
 * API answers: 429 holds the chat for `retry_after`; 403 (bot blocked or
 * kicked) holds the chat for `blockedRetryMs` and asks for an e-mail copy,
 * so the message still arrives once the chat takes the bot back; a group
 * migrated to a
 * supergroup is followed; "message is too long" is re-split smaller;
 * 5xx and network failures are retried by the queue.
 */
export class TelegramChannel implements Channel {
  readonly name = "telegram" as const;

  constructor(private readonly o: TelegramOptions) {}

  private render(entry: QueueEntry, limit: number): string[] {
    const lines = entry.notices.flatMap((n) =>
      toHtmlLines(n, this.o.managerWebUrl),
    );
    if (entry.notices.length > 1) {
      lines.unshift(`📬 <b>${entry.notices.length} notices</b> (backlog)`);
    }
    return splitHtml(lines, limit);
  }

  private keyboard(entry: QueueEntry, last: boolean) {
    const n = entry.notices[0]!;
    const jobId = n.items[0]?.jobId;
    if (!last || entry.notices.length !== 1 || jobId === undefined) return;
    if (n.status === "resolved" || !BUTTON_RULES.has(n.alertname)) return;
    return this.o.requeueButton(jobId);
  }

  async send(
    entry: QueueEntry,
    progress: () => Promise<void>,
  ): Promise<SendOutcome> {
    if (entry.parts === undefined) {
      entry.parts = this.render(entry, this.o.maxMessageChars);
      await progress();
    }
    while (entry.sentParts < entry.parts.length) {
      const i = entry.sentParts;
      const outcome = await this.sendPart(entry, i);
      if (outcome !== undefined) return outcome;
      entry.sentParts = i + 1;
      await progress();
    }
    return { kind: "sent" };
  }

  /** Sends part i; undefined when acknowledged. */
  private async sendPart(
    entry: QueueEntry,
    i: number,
  ): Promise<SendOutcome | undefined> {
    const parts = entry.parts!;
    try {
      await this.o.bot.api.sendMessage(entry.target, parts[i]!, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        reply_markup: this.keyboard(entry, i === parts.length - 1),
      });
      return undefined;
    } catch (err) {
      return this.classify(entry, i, err);
    }
  }

  private classify(entry: QueueEntry, i: number, err: unknown): SendOutcome {
    if (err instanceof HttpError) {
      return {
        kind: "retry",
        error: `sendMessage: ${err.message}`,
        code: "network",
      };
    }
    if (!(err instanceof GrammyError)) {
      return { kind: "retry", error: String(err), code: "unknown" };
    }
    const what = `sendMessage: ${err.error_code} ${err.description}`;
    const p = err.parameters;
    if (err.error_code === 429) {
      this.o.onThrottled();
      const s = p?.retry_after ?? 5;
      return { kind: "retry", error: what, pauseMs: s * 1000, code: "429" };
    }
    if (p?.migrate_to_chat_id !== undefined) {
      return { kind: "retarget", target: String(p.migrate_to_chat_id) };
    }
    if (err.error_code === 403) {
      return {
        kind: "retry",
        error: what,
        code: "blocked",
        pauseMs: this.o.blockedRetryMs,
        copyToEmail: true,
      };
    }
    if (/too long/i.test(err.description)) {
      this.resplit(entry, i);
      return { kind: "retry", error: what, pauseMs: 0, code: "too_long" };
    }
    if (err.error_code >= 500)
      return { kind: "retry", error: what, code: "5xx" };
    return { kind: "dead", error: what, code: String(err.error_code) };
  }

  /** Splits part i and the rest again at half the size: never dropped. */
  private resplit(entry: QueueEntry, i: number): void {
    const parts = entry.parts!;
    const rest = parts.slice(i).join("\n").split("\n");
    const limit = Math.max(200, Math.floor(parts[i]!.length / 2));
    entry.parts = [...parts.slice(0, i), ...splitHtml(rest, limit)];
  }

  /**
   * Merges a backlog (after a failure or DIGEST_AT entries or more) into
   * one digest entry; entries partly sent stay as they are.
   */
  coalesce(entries: QueueEntry[]): QueueEntry[] {
    // KNOWN: a digest carries no Requeue buttons (a message has one
    // keyboard); the failed jobs in it are named but need /requeue; one
    // button row per job in the digest's last part would restore them.
    // KNOWN: nothing paces sends before Telegram answers 429 (about 20
    // messages a minute in a group); the digest then absorbs the backlog;
    // a per-chat token bucket would avoid the first 429.
    const fresh = entries.filter((e) => e.sentParts === 0);
    const backlog = entries.some((e) => e.attempts > 0);
    if (fresh.length < 2 || (!backlog && fresh.length < DIGEST_AT)) {
      return entries;
    }
    const first = fresh[0]!;
    const digest: QueueEntry = {
      ...first,
      notices: fresh.flatMap((e) => e.notices),
      parts: undefined,
      sentParts: 0,
    };
    const kept = entries.filter((e) => e.sentParts > 0);
    return [...kept, digest];
  }
}
