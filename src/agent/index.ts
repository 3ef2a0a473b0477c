import os from "node:os";
import { createPartServer, listenPart } from "../shared/http-server.js";
import type { PartContext, RunningPart } from "../shared/part.js";
import type { Collector } from "./collector.js";
import { HostCollector } from "./collectors/host.js";
import { GpuCollector } from "./collectors/gpu.js";
import { MountsCollector } from "./collectors/mounts.js";
import { TailscaleCollector } from "./collectors/tailscale.js";
import { VersionsCollector } from "./collectors/versions.js";
import { WorkerUnitCollector } from "./collectors/worker-unit.js";
import { CpuSampler } from "./cpu-sampler.js";
import { createAgentRegistry, SampleStore } from "./registry.js";
import { CollectorRunner } from "./runner.js";
import { buildSnapshot } from "./snapshot.js";
import { AGENT_VERSION } from "./version.js";

/**
 * Starts the node agent: collectors in the background on their intervals,
 * and `GET /metrics`, `/healthz`, `/api/v1/node` on `agent.listen`, all
 * answered from cached results without waiting on any probe.
 */
export async function startAgent(ctx: PartContext): Promise<RunningPart> {
  const cfg = ctx.config.agent;
  const node = cfg.nodeName ?? os.hostname();
  const store = new SampleStore();
  store.set("agent", [
    {
      name: "farmwatch_agent_info",
      labels: { node, version: AGENT_VERSION },
      value: 1,
    },
  ]);
  const collectors = createCollectors(ctx, node);
  const runner = new CollectorRunner(collectors, {
    logger: ctx.logger,
    store,
  });
  const app = createServer(ctx, runner, store, node);
  runner.start();
  let url: string;
  try {
    url = await listenPart(app, cfg.listen);
  } catch (err) {
    await runner.stop();
    throw err;
  }
  ctx.logger.info({ url, node, collectors: collectors.length }, "agent up");
  return {
    name: "agent",
    url,
    async close() {
      await app.close();
      await runner.stop();
    },
  };
}

function createServer(
  ctx: PartContext,
  runner: CollectorRunner,
  store: SampleStore,
  node: string,
) {
  const app = createPartServer({
    logger: ctx.logger,
    registry: createAgentRegistry(store),
    health: () => healthOf(runner.statuses()),
  });
  app.get("/api/v1/node", async () =>
    buildSnapshot(
      node,
      AGENT_VERSION,
      runner.statuses(),
      runner.patches(),
      new Date(),
    ),
  );
  return app;
}

function createCollectors(ctx: PartContext, node: string): Collector[] {
  const cfg = ctx.config.agent;
  const sampler = new CpuSampler(cfg.procPath);
  return [
    new HostCollector(
      cfg.hostIntervalSeconds ?? cfg.intervalSeconds,
      sampler,
      cfg.procPath,
      cfg.sysPath,
    ),
    new MountsCollector(cfg, node),
    new GpuCollector(cfg, ctx.logger),
    new TailscaleCollector(cfg, ctx.logger),
    new WorkerUnitCollector(cfg),
    new VersionsCollector(cfg),
  ];
}

function healthOf(statuses: Record<string, { ok: boolean }>) {
  const failing = Object.entries(statuses)
    .filter(([, s]) => !s.ok)
    .map(([name]) => name);
  return { ok: true, failingCollectors: failing };
}
