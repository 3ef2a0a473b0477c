import { InlineKeyboard } from "grammy";

/**
 * Callback data prefixes. Telegram allows 1 to 64 bytes of callback data;
 * a Flamenco job id (a UUID, 36 characters) fits after any of these.
 */
export const CALLBACK = {
  /** `rq:j:<jobId>`: ask to requeue the job. */
  requeueJob: "rq:j:",
  /** `rq:f:<jobId>`: ask to requeue the job's failed tasks. */
  requeueFailed: "rq:f:",
  /** `rc:<token>`: confirm a pending requeue. */
  confirm: "rc:",
  /** `rx:<token>`: cancel a pending requeue. */
  cancel: "rx:",
} as const;

/**
 * A Requeue button for a job, e.g. under a failed-frames alert. Pressing
 * it leads to the same confirmation as `/requeue <job>`.
 */
export function requeueButton(jobId: string): InlineKeyboard {
  return new InlineKeyboard().text("🔁 Requeue", CALLBACK.requeueJob + jobId);
}

/** Confirm / Cancel buttons for a pending change. */
export function confirmKeyboard(token: string): InlineKeyboard {
  return new InlineKeyboard()
    .text("✅ Confirm", CALLBACK.confirm + token)
    .text("✖️ Cancel", CALLBACK.cancel + token);
}
