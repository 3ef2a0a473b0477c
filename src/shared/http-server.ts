import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
} from "fastify";
import type { Registry } from "prom-client";
import type { Logger } from "./logger.js";

/** Options for {@link createPartServer}. */
export interface PartServerOptions {
  logger: Logger;
  /** This part's own metrics registry, served at `GET /metrics`. */
  registry: Registry;
  /**
   * Answers `GET /healthz`: ok true gives 200, false 503. It must not wait
   * on any probe; it reports what is already known.
   */
  health: () => { ok: boolean; [key: string]: unknown };
}

/**
 * A fastify server with the endpoints every part has: `/metrics` and
 * `/healthz`. The part adds its own routes, then calls {@link listenPart}.
 */
export function createPartServer(options: PartServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger.child({
      component: "http",
    }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // A stuck client must not hold a connection forever.
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  }) as unknown as FastifyInstance;
  app.get("/metrics", async (_req, reply) => {
    const body = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(body);
  });
  app.get("/healthz", async (_req, reply) => {
    const health = options.health();
    return reply.code(health.ok ? 200 : 503).send(health);
  });
  return app;
}

/** Listens and returns the base URL, e.g. `http://127.0.0.1:9790`. */
export async function listenPart(
  app: FastifyInstance,
  listen: { host: string; port: number },
): Promise<string> {
  await app.listen({ host: listen.host, port: listen.port });
  const address = app.server.address();
  const port =
    typeof address === "object" && address !== null
      ? address.port
      : listen.port;
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  return `http://${host}:${port}`;
}
