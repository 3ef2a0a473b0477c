import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CallStats,
  CollectorFailure,
  type Collector,
  type CollectorOutput,
} from "../../src/agent/collector.js";
import { createAgentRegistry, SampleStore } from "../../src/agent/registry.js";
import { CollectorRunner } from "../../src/agent/runner.js";
import { captureLogger } from "./helpers.js";

/** A collector whose runs are scripted: each takes `ms` and then acts. */
class ScriptedCollector implements Collector {
  readonly name = "scripted";
  readonly calls = new CallStats();
  active = 0;
  maxActive = 0;
  runs = 0;
  fail: CollectorFailure | undefined;

  constructor(
    readonly intervalSeconds: number,
    private readonly ms: number,
  ) {}

  async collect(): Promise<CollectorOutput> {
    this.runs++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise((r) => setTimeout(r, this.ms));
    this.active--;
    if (this.fail) throw this.fail;
    return {
      samples: [{ name: "farmwatch_node_load1", value: this.runs }],
      patch: {},
    };
  }
}

/** runOnce under fake timers: lets the scripted delay pass. */
async function runOnce(runner: CollectorRunner): Promise<void> {
  const done = runner.runOnce("scripted");
  await vi.advanceTimersByTimeAsync(100);
  await done;
}

function setup(c: Collector) {
  const store = new SampleStore();
  const { logger, lines } = captureLogger();
  const runner = new CollectorRunner([c], { logger, store });
  const registry = createAgentRegistry(store);
  return { runner, registry, lines, store };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("CollectorRunner", () => {
  it("never runs a collector twice at once and counts skipped ticks", async () => {
    const c = new ScriptedCollector(30, 45_000);
    const { runner, store } = setup(c);
    runner.start();
    await vi.advanceTimersByTimeAsync(180_000);
    await runner.stop();
    expect(c.maxActive).toBe(1);
    expect(c.runs).toBe(4);
    expect(store.get("farmwatch_collector_runs_skipped_total")[0]!.value).toBe(
      3,
    );
  });

  it("runs once, not in a burst, after the event loop was blocked", async () => {
    vi.useRealTimers();
    const c = new ScriptedCollector(0.05, 0);
    const { runner } = setup(c);
    runner.start();
    await new Promise((r) => setTimeout(r, 120));
    const before = c.runs;
    const until = performance.now() + 500;
    while (performance.now() < until) {
      // Busy: a synchronous call blocking the event loop, as in the case.
    }
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    await runner.stop();
    expect(c.runs - before).toBeLessThanOrEqual(1);
  });

  it("exports the last success time so staleness can be alerted on", async () => {
    const c = new ScriptedCollector(30, 10);
    const { runner, store } = setup(c);
    vi.setSystemTime(new Date("2025-06-02T12:00:00Z"));
    await runOnce(runner);
    const ts = store.get("farmwatch_collector_last_success_timestamp_seconds");
    expect(ts[0]!.value).toBe(1748865600.01);
  });

  it("drops a failing collector's series and says why", async () => {
    const c = new ScriptedCollector(30, 1);
    const { runner, registry } = setup(c);
    await runOnce(runner);
    c.fail = new CollectorFailure("timeout", "probe took too long");
    await runOnce(runner);
    const text = await registry.metrics();
    expect(text).not.toMatch(/^farmwatch_node_load1 /m);
    expect(text).toContain(
      'farmwatch_scrape_collector_success{collector="scripted"} 0',
    );
    expect(text).toContain(
      'farmwatch_scrape_collector_failure{collector="scripted",reason="timeout"} 1',
    );
    expect(runner.statuses().scripted).toMatchObject({
      ok: false,
      reason: "timeout",
      error: "probe took too long",
    });
  });

  it("logs when a failure starts and when it clears, not every run", async () => {
    const c = new ScriptedCollector(30, 1);
    const { runner, lines } = setup(c);
    c.fail = new CollectorFailure("timeout", "slow");
    for (let i = 0; i < 5; i++) await runOnce(runner);
    c.fail = undefined;
    await runOnce(runner);
    await runOnce(runner);
    const msgs = lines.map((l) => [l.level, l.msg]);
    expect(msgs).toEqual([
      [40, "collector failing"],
      [30, "collector recovered"],
    ]);
  });
});
