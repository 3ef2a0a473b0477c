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
 * When the exporter runs and no Manager URL is configured, the simulated
 * Manager starts first and the parts are pointed at it: the demo farm,
 * which listens on loopback only. Parts started in the same process are wired to each other: the
 * alerts part reads this process's exporter and agent wherever they listen.
 * Parts already started are closed again if a later one fails.
 */
export async function runParts(
  config: Config,
  logger: Logger,
  names: readonly string[],
): Promise<RunningPart[]> {
  const running: RunningPart[] = [];
  const demo = config.manager.url === undefined && names.includes("exporter");
  const order = demo && !names.includes("sim") ? ["sim", ...names] : names;
  let effective = demo ? demoConfig(config) : config;
  try {
    for (const name of order) {
      const start = await LOADERS[name]!();
      const part = await start({
        config: effective,
        logger: logger.child({ component: name }),
      });
      running.push(part);
      logger.info({ part: name, url: part.url }, "part listening");
      effective = wire(effective, name, reachable(part.url), names);
      if (name === "sim" && demo) announceDemo(logger, part.url);
    }
  } catch (err) {
    await Promise.allSettled(running.map((p) => p.close()));
    throw err;
  }
  return running;
}

/** Points the parts still to start at one that has just started. */
export function wire(
  config: Config,
  started: string,
  url: string,
  names: readonly string[],
): Config {
  if (started === "sim" && config.manager.url === undefined) {
    return section(config, "manager", { url });
  }
  if (started === "exporter" && names.includes("alerts")) {
    return section(config, "alerts", { exporterUrl: url });
  }
  if (
    started === "agent" &&
    names.includes("alerts") &&
    !config.alerts.agents.includes(url)
  ) {
    return section(config, "alerts", {
      agents: [...config.alerts.agents, url],
    });
  }
  return config;
}

/**
 * The demo farm: the simulated workers have no agents of their own, so the
 * alerts part reads only this machine's agent instead of expecting one per
 * worker; and nothing of a demo listens beyond loopback.
 */
function demoConfig(config: Config): Config {
  let c = section(config, "alerts", { discoverAgents: false });
  for (const part of ["agent", "exporter"] as const) {
    if (c[part].listen.host === "0.0.0.0") {
      c = section(c, part, {
        listen: Object.freeze({ ...c[part].listen, host: "127.0.0.1" }),
      });
    }
  }
  return c;
}

function section<K extends keyof Config>(
  config: Config,
  key: K,
  patch: Partial<Config[K]>,
): Config {
  return Object.freeze({
    ...config,
    [key]: Object.freeze({ ...config[key], ...patch }),
  });
}

/** A URL this process can connect to for a part listening on `url`. */
export function reachable(url: string): string {
  const u = new URL(url);
  if (u.hostname === "0.0.0.0") u.hostname = "127.0.0.1";
  if (u.hostname === "[::]") u.hostname = "[::1]";
  return u.origin;
}

function announceDemo(logger: Logger, url: string): void {
  logger.warn(
    { managerUrl: url, simulated: true },
    "SIMULATED FARM: no manager.url configured, running the demo farm " +
      "on the built-in simulated Flamenco Manager; set manager.url to " +
      "watch a real farm",
  );
}
