import { open } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../shared/logger.js";
import type { Channel, QueueEntry, SendOutcome } from "../queue.js";

/**
 * The outbox: every notice as one JSON line in `outbox.jsonl` in the state
 * directory, and a log line. A line is fsynced before it counts as sent;
 * a crash between the write and the queue's acknowledgement can repeat a
 * line, which carries the entry's `id` so readers can drop the repeat.
 */
export class OutboxChannel implements Channel {
  readonly name = "outbox" as const;
  readonly path: string;

  constructor(
    stateDir: string,
    private readonly logger: Logger,
  ) {
    this.path = join(stateDir, "outbox.jsonl");
  }

  async send(entry: QueueEntry): Promise<SendOutcome> {
    const lines = entry.notices.map((n) =>
      JSON.stringify({
        id: entry.id,
        at: n.at,
        status: n.status,
        alertname: n.alertname,
        severity: n.severity,
        group: n.group,
        alerts: n.items,
        origin: n.origin,
      }),
    );
    const fh = await open(this.path, "a", 0o600);
    try {
      await fh.writeFile(lines.map((l) => `${l}\n`).join(""));
      await fh.sync();
    } finally {
      await fh.close();
    }
    for (const n of entry.notices) {
      this.logger.info(
        {
          alertname: n.alertname,
          status: n.status,
          group: n.group,
          count: n.items.length,
        },
        n.status === "resolved" ? "alert resolved" : "alert notice",
      );
    }
    return { kind: "sent" };
  }
}
