import { Registry } from "prom-client";
import { ConfigSchema, type Config } from "../../src/shared/config/schema.js";
import { createLogger, type Logger } from "../../src/shared/logger.js";
import { Exporter } from "../../src/exporter/exporter.js";
import {
  startFakeManager,
  type FakeManager,
} from "../shared/flamenco/fake-manager.js";
import { NOW_MS, serveFarm, type FarmFixture } from "./fixtures/farm.js";

/** A test exporter on a fake Manager, with clocks the test moves. */
export interface Harness {
  fake: FakeManager;
  farm: FarmFixture;
  exporter: Exporter;
  registry: Registry;
  /** Local wall clock of the exporter, ms. */
  clock: { now: number; mono: number };
  /** Moves both Manager and exporter clocks forward. */
  advance(seconds: number): void;
  /** Polls once. */
  poll(): Promise<void>;
  /** The /metrics text. */
  metrics(): Promise<string>;
  /** Value of one series, undefined when absent. */
  value(
    name: string,
    labels?: Record<string, string>,
  ): Promise<number | undefined>;
  close(): Promise<void>;
}

/** Config with exporter overrides. */
export function testConfig(
  exporter: Record<string, unknown> = {},
  requestTimeoutSeconds = 2,
): Config {
  return ConfigSchema.parse({
    manager: { url: "http://127.0.0.1:1", requestTimeoutSeconds },
    exporter: { listen: { host: "127.0.0.1", port: 0 }, ...exporter },
  });
}

/**
 * Starts a fake Manager serving `farm` and an exporter on it. The
 * exporter's clock starts at the Manager's plus `skewSeconds`.
 */
export async function startHarness(
  farm: FarmFixture,
  opts: {
    skewSeconds?: number;
    exporter?: Record<string, unknown>;
    requestTimeoutSeconds?: number;
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const fake = await startFakeManager();
  fake.nowMs = NOW_MS;
  serveFarm(fake, farm);
  const clock = { now: NOW_MS + (opts.skewSeconds ?? 0) * 1000, mono: 0 };
  const registry = new Registry();
  const exporter = new Exporter({
    config: testConfig(opts.exporter, opts.requestTimeoutSeconds),
    managerUrl: fake.url,
    logger: opts.logger ?? createLogger({ level: "silent" }),
    registry,
    clock: { now: () => clock.now, mono: () => clock.mono },
    random: () => 0,
  });
  const metrics = () => exporter.metrics();
  return {
    fake,
    farm,
    exporter,
    registry,
    clock,
    advance(seconds) {
      fake.nowMs += seconds * 1000;
      clock.now += seconds * 1000;
      clock.mono += seconds * 1000;
    },
    poll: () => exporter.pollOnce(),
    metrics,
    async value(name, labels = {}) {
      return seriesValue(await metrics(), name, labels);
    },
    async close() {
      await exporter.stop();
      await fake.close();
    },
  };
}

/** Value of the first series `name` whose labels include `labels`. */
export function seriesValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = parseLabels(m[3] ?? "");
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      // The text format writes infinities as +Inf and -Inf.
      return Number(m[4]!.replace(/^([+-]?)Inf$/, "$1Infinity"));
    }
  }
  return undefined;
}

/** Every series line of `name`. */
export function seriesOf(text: string, name: string): string[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    out[m[1]!] = m[2]!;
  }
  return out;
}
