import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

/** File name of the audit log inside the bot's state directory. */
export const AUDIT_FILE = "bot-audit.jsonl";

/** One change made from Telegram. */
export interface AuditEntry {
  /** ISO time the change was answered. */
  time: string;
  userId: number;
  username?: string;
  chatId: number;
  /** e.g. `requeue-job`, `requeue-tasks`, `silence`. */
  action: string;
  /** What was changed: job id and name, task ids, silence matcher. */
  target: Record<string, unknown>;
  /** `ok`, `refused`, `stale`, `error`, `unknown` (timed out). */
  outcome: string;
  /** What the Manager (or the alerts part) answered, in words. */
  answer: string;
  /** The Manager's HTTP status, when it answered. */
  status?: number;
}

/** Appends audit entries as JSON lines; one write per entry. */
export class AuditLog {
  readonly path: string;

  constructor(private readonly dir: string) {
    this.path = join(dir, AUDIT_FILE);
  }

  /** Appends `entry`; throws when the log cannot be written. */
  async write(entry: AuditEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(this.path, JSON.stringify(entry) + "\n", {
      encoding: "utf8",
      mode: 0o600,
    });
  }
}
