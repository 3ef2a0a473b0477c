import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startAgent } from "../../src/agent/index.js";
import { METRIC_CATALOGUE } from "../../src/agent/metric-catalogue.js";
import type { RunningPart } from "../../src/shared/part.js";
import type { NodeSnapshot } from "../../src/shared/views.js";
import { FakeBin } from "../support/fakes/fake-bin.js";
import { answeringFakes, hangingFakes } from "./agent-fakes.js";
import { captureLogger, FIXTURES, testConfig } from "./helpers.js";

const GOLDEN = path.join(FIXTURES, "golden.prom");

let bin: FakeBin;
let part: RunningPart | undefined;
beforeEach(() => {
  bin = new FakeBin();
});
afterEach(async () => {
  await part?.close();
  part = undefined;
  bin.remove();
});

async function start(agent: Record<string, unknown>) {
  const config = testConfig({ nodeName: "render-03", ...agent });
  part = await startAgent({ config, logger: captureLogger().logger });
  return part;
}

async function get(p: RunningPart, route: string) {
  const res = await fetch(`${p.url}${route}`);
  return { status: res.status, text: await res.text() };
}

async function snapshot(p: RunningPart): Promise<NodeSnapshot> {
  return JSON.parse((await get(p, "/api/v1/node")).text) as NodeSnapshot;
}

function promtoolCheck(text: string): { status: number | null; out: string } {
  const r = spawnSync("promtool", ["check", "metrics"], {
    input: text,
    encoding: "utf8",
    timeout: 10_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function families(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("# HELP "))
    .map((l) => l.split(" ")[2]!)
    .sort();
}

describe("startAgent", () => {
  it("serves every collector's results on /metrics and /api/v1/node", async () => {
    const p = await start({ intervalSeconds: 60, ...answeringFakes(bin) });
    await expect
      .poll(async () => Object.values((await snapshot(p)).collectors))
      .toSatisfy((all: { ok: boolean }[]) => all.every((s) => s.ok));
    const snap = await snapshot(p);
    expect(snap.node).toBe("render-03");
    expect(snap.gpus).toHaveLength(4);
    expect(snap.tailscale!.state).toBe("Running");
    expect(snap.worker).toMatchObject({
      activeState: "activating",
      lastExitStatus: 47,
      blenderVersion: "4.2.3",
    });
    const metrics = (await get(p, "/metrics")).text;
    expect(metrics).toContain(
      'farmwatch_gpu_temperature_celsius{gpu="00000000:5e:00.0"} 71',
    );
  });

  it("answers scrapes while nvidia-smi, tailscale and systemctl hang", async () => {
    const p = await start({ intervalSeconds: 0.2, ...hangingFakes(bin) });
    await expect
      .poll(async () => (await snapshot(p)).collectors.gpu?.reason)
      .toBe("timeout");
    for (let i = 0; i < 5; i++) {
      const res = await get(p, "/metrics");
      expect(res.status).toBe(200);
      expect(res.text).toContain("farmwatch_gpu_query_success 0");
    }
    expect((await get(p, "/healthz")).status).toBe(200);
  });

  it("drops GPU numbers once nvidia-smi starts hanging (no stale values)", async () => {
    const p = await start({ intervalSeconds: 0.3, ...answeringFakes(bin) });
    await expect
      .poll(async () => (await get(p, "/metrics")).text)
      .toContain("farmwatch_gpu_utilization_ratio{");
    bin.hanging("nvidia-smi");
    await expect
      .poll(async () => (await get(p, "/metrics")).text, { timeout: 15_000 })
      .toContain('farmwatch_scrape_collector_success{collector="gpu"} 0');
    const text = (await get(p, "/metrics")).text;
    expect(text).not.toContain("farmwatch_gpu_utilization_ratio{");
    expect((await snapshot(p)).gpus).toEqual([]);
  });

  it("lists failing collectors on /healthz", async () => {
    const p = await start({ intervalSeconds: 0.2, ...hangingFakes(bin) });
    await expect
      .poll(async () => JSON.parse((await get(p, "/healthz")).text))
      .toMatchObject({
        ok: true,
        failingCollectors: expect.arrayContaining(["gpu"]),
      });
  });

  it("exposes text that promtool check metrics accepts", async () => {
    const p = await start({ intervalSeconds: 60, ...answeringFakes(bin) });
    await expect
      .poll(async () => (await get(p, "/metrics")).text)
      .toContain("farmwatch_blender_info{");
    const { status, out } = promtoolCheck((await get(p, "/metrics")).text);
    expect(out).toBe("");
    expect(status).toBe(0);
  });
});

describe("golden exposition (test/agent/fixtures/golden.prom)", () => {
  it("passes promtool check metrics", () => {
    const { status, out } = promtoolCheck(readFileSync(GOLDEN, "utf8"));
    expect(out).toBe("");
    expect(status).toBe(0);
  });

  it("has exactly the metric families of the catalogue", () => {
    expect(families(readFileSync(GOLDEN, "utf8"))).toEqual(
      Object.keys(METRIC_CATALOGUE).sort(),
    );
  });

  it("lists every metric family in docs/agent.md", () => {
    const docs = readFileSync("docs/agent.md", "utf8");
    const missing = Object.keys(METRIC_CATALOGUE).filter(
      (n) => !docs.includes(`\`${n}\``),
    );
    expect(missing).toEqual([]);
  });
});
