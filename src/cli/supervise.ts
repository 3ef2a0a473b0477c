import { isDeepStrictEqual } from "node:util";
import type { Config } from "../shared/config/schema.js";
import type { Logger } from "../shared/logger.js";
import type { RunningPart } from "../shared/part.js";
import { runParts } from "./run-parts.js";

/** What {@link Supervisor.reload} did. */
export type ReloadOutcome = "reloaded" | "unchanged" | "kept";

/**
 * Runs a set of parts and reloads them on request: a new config that
 * fails validation is refused and the running parts keep going; a valid
 * one restarts every part with it (in-flight state is on disk or rebuilt
 * on the first poll). Reloads and the final stop never overlap.
 */
export class Supervisor {
  private running: RunningPart[] = [];
  private current: Config | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: {
      parts: readonly string[];
      logger: Logger;
      /** Reads and validates the config; throws ConfigError when invalid. */
      load(): Config;
    },
  ) {}

  /** Starts the parts with `config`; throws when one fails to start. */
  async start(config: Config): Promise<void> {
    this.running = await runParts(config, this.o.logger, this.o.parts);
    this.current = config;
  }

  /** Re-reads the config and restarts the parts when it changed. */
  reload(): Promise<ReloadOutcome> {
    return this.serialize(() => this.reloadNow());
  }

  /** Closes every part; resolves true when all closed cleanly. */
  stop(): Promise<boolean> {
    return this.serialize(() => this.closeAll());
  }

  private serialize<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const log = this.o.logger;
    let next: Config;
    try {
      next = this.o.load();
    } catch (err) {
      log.error(
        { err: (err as Error).message },
        "config reload refused, the running config stays",
      );
      return "kept";
    }
    if (isDeepStrictEqual(next, this.current)) {
      log.info("config reload: nothing changed");
      return "unchanged";
    }
    const previous = this.current!;
    await this.closeAll();
    log.level = next.log.level;
    try {
      await this.start(next);
    } catch (err) {
      log.error({ err }, "config reload failed to start, restoring");
      log.level = previous.log.level;
      await this.start(previous);
      return "kept";
    }
    log.info("config reloaded");
    return "reloaded";
  }

  private async closeAll(): Promise<boolean> {
    const results = await Promise.allSettled(
      this.running.map((p) => p.close()),
    );
    this.running = [];
    const failed = results.filter((r) => r.status === "rejected");
    for (const r of failed) {
      const err = (r as PromiseRejectedResult).reason as unknown;
      this.o.logger.error({ err }, "close failed");
    }
    return failed.length === 0;
  }
}
