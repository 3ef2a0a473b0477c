import { afterEach, describe, expect, it } from "vitest";
import { reachable, runParts, wire } from "../../src/cli/run-parts.js";
import { ConfigSchema, type Config } from "../../src/shared/config/schema.js";
import { createLogger } from "../../src/shared/logger.js";
import type { RunningPart } from "../../src/shared/part.js";
import type { FarmView } from "../../src/shared/views.js";

const LOOPBACK = { host: "127.0.0.1", port: 0 };

function config(extra: Record<string, unknown> = {}): Config {
  return ConfigSchema.parse({
    agent: { listen: LOOPBACK },
    exporter: { listen: LOOPBACK, pollIntervalSeconds: 1 },
    alerts: { listen: LOOPBACK, stateDir: `/tmp/fw-run-parts-${process.pid}` },
    sim: { listen: LOOPBACK, workers: 3, jobs: 2 },
    ...extra,
  });
}

describe("wire", () => {
  it("points the alerts part at the exporter started in this process", () => {
    const c = wire(config(), "exporter", "http://127.0.0.1:4242", [
      "exporter",
      "alerts",
    ]);
    expect(c.alerts.exporterUrl).toBe("http://127.0.0.1:4242");
  });

  it("adds this process's agent to the agents the alerts part reads", () => {
    const c = wire(config(), "agent", "http://127.0.0.1:4343", [
      "agent",
      "alerts",
    ]);
    expect(c.alerts.agents).toEqual(["http://127.0.0.1:4343"]);
  });

  it("points the Manager URL at the simulator when none is configured", () => {
    const c = wire(config(), "sim", "http://127.0.0.1:4444", ["sim"]);
    expect(c.manager.url).toBe("http://127.0.0.1:4444");
  });

  it("leaves a configured Manager URL alone", () => {
    const configured = config({ manager: { url: "http://127.0.0.1:8080" } });
    const c = wire(configured, "sim", "http://127.0.0.1:4444", ["sim"]);
    expect(c.manager.url).toBe("http://127.0.0.1:8080");
  });
});

describe("reachable", () => {
  it("turns a wildcard listen address into loopback", () => {
    expect(reachable("http://0.0.0.0:9790")).toBe("http://127.0.0.1:9790");
    expect(reachable("http://[::]:9790")).toBe("http://[::1]:9790");
  });
});

describe("runParts", () => {
  let running: RunningPart[] = [];
  afterEach(async () => {
    await Promise.all(running.map((p) => p.close()));
    running = [];
  });

  it("starts the simulator first and points the exporter at it in the demo", async () => {
    const logger = createLogger({ level: "silent" });
    running = await runParts(config(), logger, ["exporter"]);
    expect(running.map((p) => p.name)).toEqual(["sim", "exporter"]);
    const [sim, exporter] = running;
    const farm = (await (
      await fetch(`${exporter!.url}/api/v1/farm`)
    ).json()) as FarmView;
    expect(farm.managerUrl).toBe(sim!.url);
  });

  it("keeps a demo farm on loopback even where the parts default to every interface", async () => {
    const logger = createLogger({ level: "silent" });
    const c = config();
    const wide = ConfigSchema.parse({
      ...c,
      agent: { ...c.agent, listen: { host: "0.0.0.0", port: 0 } },
      exporter: { ...c.exporter, listen: { host: "0.0.0.0", port: 0 } },
    });
    running = await runParts(wide, logger, ["agent", "exporter"]);
    expect(running.map((p) => new URL(p.url).hostname)).toEqual([
      "127.0.0.1",
      "127.0.0.1",
      "127.0.0.1",
    ]);
  });

  it("starts no simulator for the alerts part alone", async () => {
    const logger = createLogger({ level: "silent" });
    running = await runParts(config(), logger, ["alerts"]);
    expect(running.map((p) => p.name)).toEqual(["alerts"]);
  });

  it("starts no simulator when a Manager URL is configured", async () => {
    const logger = createLogger({ level: "silent" });
    const configured = config({ manager: { url: "http://127.0.0.1:9" } });
    running = await runParts(configured, logger, ["agent"]);
    expect(running.map((p) => p.name)).toEqual(["agent"]);
  });
});
