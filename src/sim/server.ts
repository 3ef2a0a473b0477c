import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { createPartServer, listenPart } from "../shared/http-server.js";
import type { Logger } from "../shared/logger.js";
import { buildFarm } from "./build.js";
import type { SimClock } from "./clock.js";
import { Farm, type FarmOptions } from "./farm.js";
import { Faults, type FaultSpec } from "./faults.js";
import { answerFrameworkError, JSON_TYPE } from "./api-support.js";
import { addControlRoutes } from "./routes-control.js";
import { addJobRoutes } from "./routes-jobs.js";
import { addTaskRoutes, addWorkerRoutes } from "./routes-tasks.js";
import { runUntil } from "./scheduler.js";
import { Stats } from "./stats.js";

/**
 * An addition to the simulator, such as an event transport (Socket.IO,
 * MQTT): it gets the server after the routes are added and before it
 * listens, and may add routes, hooks or listen to `sim.farm.events`.
 */
export type SimPlugin = (sim: SimServer) => void | Promise<void>;

/** Options of {@link startSimServer}. */
export interface SimServerOptions {
  /** Run in order before listening; default none. */
  plugins?: SimPlugin[];
  farm: FarmOptions;
  clock: SimClock;
  listen: { host: string; port: number };
  logger: Logger;
  /** Real milliseconds between model updates; 0: only on requests. */
  tickMs: number;
}

/**
 * The simulated Manager: the farm, its HTTP server (Manager API under
 * `/api/v3`, control under `/sim`), faults and request statistics.
 */
export class SimServer {
  readonly farm: Farm;
  readonly faults = new Faults();
  readonly stats = new Stats();
  readonly app: FastifyInstance;
  url = "";
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private timer: NodeJS.Timeout | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SimServerOptions) {
    this.farm = new Farm(options.farm, options.clock);
    buildFarm(this.farm);
    this.app = createPartServer({
      logger: options.logger,
      registry: new Registry(),
      health: () => ({ ok: true, simulated: true }),
    });
    this.app.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    this.app.addHook("onRequest", async () => this.sync());
    this.app.addHook("onSend", async (req, reply, payload) => {
      // The Manager's clock, which the exporter measures ages against.
      reply.header("date", new Date(options.clock.now()).toUTCString());
      // Echo sends bare `application/json`; fastify adds a charset.
      const type = String(reply.getHeader("content-type") ?? "");
      if (req.url.startsWith("/api/") && type.startsWith(JSON_TYPE)) {
        reply.header("content-type", JSON_TYPE);
      }
      return payload;
    });
    this.app.setErrorHandler(async (err, req, reply) => {
      if (!req.url.startsWith("/api/v3/")) throw err;
      return answerFrameworkError(
        reply,
        err as Error & { statusCode?: number },
      );
    });
    this.faults.install(this.app);
    this.stats.install(this.app);
    addJobRoutes(this.app, this.farm);
    addTaskRoutes(this.app, this.farm);
    addWorkerRoutes(this.app, this.farm);
    addControlRoutes(this.app, this);
  }

  /** Listens; starts the model clock ticking if `tickMs` > 0. */
  async start(): Promise<string> {
    this.url = await listenPart(this.app, this.options.listen);
    this.port = Number(new URL(this.url).port);
    if (this.options.tickMs > 0) {
      this.timer = setInterval(() => this.sync(), this.options.tickMs);
      this.timer.unref();
    }
    return this.url;
  }

  /** Brings the model up to the clock's time. */
  sync(): void {
    runUntil(this.farm, this.options.clock.now());
  }

  /** Moves the farm clock `ms` forward and simulates up to it. */
  advance(ms: number): void {
    this.options.clock.advance(ms);
    this.sync();
  }

  /** Sets a fault; "refuse" closes the listener for `durationSeconds`. */
  setFault(spec: FaultSpec): void {
    this.faults.set(spec);
    if (spec.mode === "refuse") {
      this.refuse((spec.durationSeconds ?? 10) * 1000);
    } else {
      this.reopen();
    }
  }

  private refuse(ms: number): void {
    clearTimeout(this.reopenTimer);
    // Answer the control request first, then stop accepting.
    setImmediate(() => {
      // Cleared again before this ran: keep listening.
      if (this.faults.current().mode !== "refuse") return;
      if (this.app.server.listening) this.app.server.close();
      for (const s of this.sockets) s.destroy();
    });
    // Referenced on purpose: with the listener closed, this timer is what
    // keeps a standalone `farmwatch sim` alive until it reopens.
    this.reopenTimer = setTimeout(() => {
      this.faults.set({ mode: "none" });
      this.reopen();
    }, ms);
  }

  /** Listens again on the same port after "refuse". */
  private reopen(): void {
    clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    if (this.app.server.listening || this.port === 0) return;
    this.app.server.listen({ host: this.options.listen.host, port: this.port });
  }

  /**
   * Back to the seeded farm, faults and statistics cleared. `fresh`: an
   * empty farm instead, like a Manager restarted on a new database.
   */
  reset(fresh = false): void {
    this.setFault({ mode: "none" });
    this.faults.releaseAll();
    this.stats.reset();
    this.farm.nowMs = this.options.clock.now();
    if (fresh) this.farm.clear();
    else buildFarm(this.farm);
  }

  /** Stops ticking, ends hanging requests, closes the server. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.reopenTimer);
    this.faults.set({ mode: "none" });
    this.faults.releaseAll();
    for (const s of this.sockets) s.destroy();
    if (!this.app.server.listening) {
      // fastify.close() waits for a server that no longer listens.
      this.app.server.listen({ host: this.options.listen.host, port: 0 });
    }
    await this.app.close();
  }
}

/** Builds the farm and starts serving it. */
export async function startSimServer(
  options: SimServerOptions,
): Promise<SimServer> {
  const sim = new SimServer(options);
  for (const plugin of options.plugins ?? []) await plugin(sim);
  await sim.start();
  return sim;
}
