import { Registry } from "prom-client";
import { ConfigError } from "../shared/errors.js";
import { createPartServer, listenPart } from "../shared/http-server.js";
import type { PartContext, RunningPart } from "../shared/part.js";
import { Exporter } from "./exporter.js";
import { sdGroups } from "./view.js";

/** What `/metrics` serves: the exporter's own exposition. */
class ServedRegistry extends Registry {
  constructor(private readonly render: () => Promise<string>) {
    super();
  }

  override metrics(): Promise<string> {
    return this.render();
  }
}

/**
 * Starts the exporter: polls the Manager at `manager.url` every
 * `exporter.pollIntervalSeconds` and serves `/metrics`, `/healthz`,
 * `/api/v1/farm` and `/api/v1/sd/agents` on `exporter.listen`.
 */
export async function startExporter(ctx: PartContext): Promise<RunningPart> {
  const { config, logger } = ctx;
  const managerUrl = config.manager.url;
  if (managerUrl === undefined) {
    throw new ConfigError("start the exporter: manager.url is not set", [
      { path: "manager.url", expected: "a Manager URL", received: "nothing" },
    ]);
  }
  const registry = new Registry();
  const exporter = new Exporter({ config, managerUrl, logger, registry });
  const app = createPartServer({
    logger,
    registry: new ServedRegistry(() => exporter.metrics()),
    health: () => exporter.health(),
  });
  app.get("/api/v1/farm", async () => exporter.view());
  app.get("/api/v1/sd/agents", async () => sdGroups(exporter.view().agents));
  const url = await listenPart(app, config.exporter.listen);
  exporter.start();
  logger.info({ url, managerUrl }, "exporter listening");
  return {
    name: "exporter",
    url,
    async close() {
      await exporter.stop();
      await app.close();
    },
  };
}
