import type { FastifyInstance } from "fastify";
import { checkPayload, payloadKey, webhookEntries } from "./alertmanager.js";
import type { WebhookPayload } from "./alertmanager.js";
import type { QueueEntry } from "./queue.js";
import type { AlertsService } from "./service.js";
import { parseSilenceInput } from "./silence-input.js";

const DAY_MS = 86_400_000;

/**
 * The alerts part's API: alerts and silences as JSON, silences set and
 * ended over HTTP, the delivery queue, and Alertmanager's webhook.
 */
export function addRoutes(app: FastifyInstance, svc: AlertsService): void {
  app.get("/api/v1/alerts", async () => ({ alerts: svc.active() }));
  app.get("/api/v1/silences", async () => ({ silences: svc.silences() }));
  // Targets are chat ids and addresses: kept out of the API.
  const strip = (e: QueueEntry) => ({
    ...e,
    target: undefined,
    parts: undefined,
  });
  app.get("/api/v1/deliveries", async () => ({
    queue: svc.store.data.queue.map(strip),
    dead: svc.store.data.dead.map(strip),
  }));
  app.post("/api/v1/silences", async (req, reply) => {
    const input = parseSilenceInput(req.body, svc.o.now());
    if (typeof input === "string") {
      return reply.code(400).send({ error: input });
    }
    return reply.code(201).send(await svc.silence(input));
  });
  app.delete<{ Params: { id: string } }>(
    "/api/v1/silences/:id",
    async (req, reply) =>
      (await svc.unsilence(req.params.id))
        ? reply.code(204).send()
        : reply.code(404).send({ error: "no such active silence" }),
  );
  app.post("/api/v1/alertmanager", async (req, reply) => {
    const problem = checkPayload(req.body);
    if (problem !== undefined) return reply.code(400).send({ error: problem });
    const p = req.body as WebhookPayload;
    const seen = svc.store.data.webhookSeen;
    const key = payloadKey(p);
    const nowMs = svc.o.now();
    for (const [k, t] of Object.entries(seen)) {
      if (nowMs - t > DAY_MS) delete seen[k];
    }
    if (seen[key] !== undefined) return { accepted: 0, duplicate: true };
    seen[key] = nowMs;
    const entries = webhookEntries(p, {
      nowMs,
      routes: svc.o.config.alerts.routes,
      targets: svc.targets(),
    });
    await svc.enqueue(entries);
    return { accepted: p.alerts.length, duplicate: false };
  });
}
