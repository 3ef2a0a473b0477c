import type { Config } from "../shared/config/schema.js";
import type { Logger } from "../shared/logger.js";
import type { RunningPart, StartPart } from "../shared/part.js";

const LOADERS: Record<string, () => Promise<StartPart>> = {
  sim: async () => (await import("../sim/index.js")).startSim,
  agent: async () => (await import("../agent/index.js")).startAgent,
  exporter: async () => (await import("../exporter/index.js")).startExporter,
  alerts: async () => (await import("../alerts/index.js")).startAlerts,
};

/**
 * Starts the named parts in one process, each with its own child logger.
 * When the exporter or alerts part runs and no Manager URL is configured,
 * the simulated Manager starts first and they are pointed at it: the demo
 * farm. Parts already started are closed again if a later one fails.
 */
export async function runParts(
  config: Config,
  logger: Logger,
  names: readonly string[],
): Promise<RunningPart[]> {
  const running: RunningPart[] = [];
  let effective = config;
  const wantsManager = names.includes("exporter") || names.includes("alerts");
  const order = [...names];
  if (
    wantsManager &&
    config.manager.url === undefined &&
    !names.includes("sim")
  ) {
    order.unshift("sim");
  }
  try {
    for (const name of order) {
      const start = await LOADERS[name]!();
      const part = await start({
        config: effective,
        logger: logger.child({ component: name }),
      });
      running.push(part);
      if (name === "sim" && wantsManager && config.manager.url === undefined) {
        effective = withManagerUrl(effective, part.url);
        announceDemo(logger, part.url);
      }
      logger.info({ part: name, url: part.url }, "part listening");
    }
  } catch (err) {
    await Promise.allSettled(running.map((p) => p.close()));
    throw err;
  }
  return running;
}

function withManagerUrl(config: Config, url: string): Config {
  return Object.freeze({
    ...config,
    manager: Object.freeze({ ...config.manager, url }),
  });
}

function announceDemo(logger: Logger, url: string): void {
  logger.warn(
    { managerUrl: url, simulated: true },
    "SIMULATED FARM: no manager.url configured, running the demo farm " +
      "on the built-in simulated Flamenco Manager; set manager.url to " +
      "watch a real farm",
  );
}
