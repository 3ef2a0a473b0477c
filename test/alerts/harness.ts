import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { OutboxChannel } from "../../src/alerts/channels/outbox.js";
import type { Views } from "../../src/alerts/fetch-views.js";
import type { Channel, ChannelName } from "../../src/alerts/queue.js";
import { AlertsService } from "../../src/alerts/service.js";
import {
  farm,
  makeConfig,
  ManualClock,
  quietLogger,
  tempDir,
  views,
} from "./fixtures.js";

/** One outbox line as written. */
export interface OutboxLine {
  id: string;
  status: string;
  alertname: string;
  group: Record<string, string>;
  alerts: { labels: Record<string, string>; description: string }[];
}

/** An alerts service on a fake clock fed with scripted views. */
export interface Harness {
  svc: AlertsService;
  clock: ManualClock;
  dir: string;
  /** The views the next evaluations get. */
  set(v: Views): void;
  /** Advances the clock, evaluates once and delivers what is due. */
  step(seconds?: number): Promise<void>;
  outbox(): Promise<OutboxLine[]>;
  /** A second service on the same state directory, as after a restart. */
  restart(): Promise<Harness>;
  cleanup(): Promise<void>;
}

/** Starts a harness; `alerts` is merged into the config's alerts section. */
export async function harness(
  alerts: Record<string, unknown> = {},
  extraChannels: (dir: string) => [ChannelName, Channel][] = () => [],
  shared?: { dir: string; clock: ManualClock; cleanup(): Promise<void> },
): Promise<Harness> {
  const tmp = shared ?? { ...(await tempDir()), clock: new ManualClock() };
  const { dir, clock } = tmp;
  const config = makeConfig({ alerts: { stateDir: dir, ...alerts } });
  let current = views(farm());
  const logger = quietLogger();
  const channels = new Map<ChannelName, Channel>([
    ["outbox", new OutboxChannel(dir, logger)],
    ...extraChannels(dir),
  ]);
  const svc = new AlertsService({
    config,
    logger,
    now: clock.now,
    fetch: async () => current,
    channels,
  });
  await svc.start();
  const h: Harness = {
    svc,
    clock,
    dir,
    set(v) {
      current = v;
    },
    async step(seconds = 0) {
      clock.advance(seconds);
      await svc.evaluate();
      await svc.deliver();
    },
    async outbox() {
      let text = "";
      try {
        text = await readFile(join(dir, "outbox.jsonl"), "utf8");
      } catch {
        // No notice yet: no file.
        return [];
      }
      return text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as OutboxLine);
    },
    async restart() {
      await svc.close();
      return harness(alerts, extraChannels, tmp);
    },
    async cleanup() {
      await svc.close();
      await tmp.cleanup();
    },
  };
  return h;
}

/** `status alertname` of every outbox line, for compact assertions. */
export function summary(lines: OutboxLine[]): string[] {
  return lines.map((l) => `${l.status} ${l.alertname}`);
}
