import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** The failure modes `POST /sim/faults` can switch on. */
export const FAULT_MODES = [
  "none",
  "503",
  "500",
  "slow",
  "malformed",
  "unknown-enum",
  "refuse",
  "hang",
] as const;
/** One of {@link FAULT_MODES}. */
export type FaultMode = (typeof FAULT_MODES)[number];

/** Body of `POST /sim/faults`. */
export interface FaultSpec {
  mode: FaultMode;
  /** Retry-After of "503" answers, seconds; default 1 like the Manager. */
  retryAfterSeconds?: number;
  /** Delay of "slow" answers, real seconds; default 3. */
  delaySeconds?: number;
  /** Route prefixes affected; default all of `/api/v3`. */
  routes?: string[];
  /** Requests affected before the fault clears itself; default no limit. */
  count?: number;
  /** "refuse" only: real seconds until the listener reopens; default 10. */
  durationSeconds?: number;
}

/** The value "unknown-enum" puts in place of the first `status`. */
export const UNKNOWN_ENUM_VALUE = "quarantined";

const MARK = Symbol("sim-fault");

type Marked = FastifyRequest & { [MARK]?: FaultMode };

/**
 * Applies the current fault to Manager API requests. "refuse" is carried
 * out by the server (it closes its listener); everything else here.
 */
export class Faults {
  private spec: FaultSpec = { mode: "none" };
  private remaining = Infinity;
  private readonly pending = new Set<() => void>();

  /** The fault in force. */
  current(): FaultSpec {
    return this.spec;
  }

  /** Replaces the fault in force. */
  set(spec: FaultSpec): void {
    this.spec = { ...spec };
    this.remaining = spec.count ?? Infinity;
    if (spec.mode === "none") this.releaseAll();
  }

  /** Ends every hanging or delayed request: used on reset and close. */
  releaseAll(): void {
    for (const release of this.pending) release();
    this.pending.clear();
  }

  private applies(url: string): boolean {
    if (this.spec.mode === "none" || this.spec.mode === "refuse") {
      return false;
    }
    if (this.remaining <= 0) return false;
    const routes = this.spec.routes ?? ["/api/v3"];
    return routes.some((prefix) => url.startsWith(prefix));
  }

  /** Installs the hooks; call before the routes are added. */
  install(app: FastifyInstance): void {
    app.addHook("onRequest", async (req, reply) => {
      if (!this.applies(req.url)) return;
      this.remaining--;
      const spec = this.spec;
      if (this.remaining <= 0) this.set({ mode: "none" });
      return this.onRequest(req as Marked, reply, spec);
    });
    app.addHook("onSend", async (req, _reply, payload) => {
      const mode = (req as Marked)[MARK];
      if (mode === undefined || typeof payload !== "string") return payload;
      if (mode === "malformed") {
        return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
      }
      return payload.replace(
        /"status":"[^"]*"/,
        `"status":"${UNKNOWN_ENUM_VALUE}"`,
      );
    });
  }

  private async onRequest(
    req: Marked,
    reply: FastifyReply,
    spec: FaultSpec,
  ): Promise<unknown> {
    switch (spec.mode) {
      case "503":
        return reply
          .code(503)
          .header("retry-after", String(spec.retryAfterSeconds ?? 1))
          .send({ code: 503, message: "database is busy, try again later" });
      case "500":
        return reply
          .code(500)
          .send({ code: 500, message: "error querying the database" });
      case "slow":
        await this.wait((spec.delaySeconds ?? 3) * 1000);
        return undefined;
      case "hang":
        await this.wait(Infinity);
        reply.raw.destroy();
        return reply;
      default:
        req[MARK] = spec.mode;
        return undefined;
    }
  }

  /** Waits `ms` (Infinity: until released); released on reset/close. */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.pending.delete(release);
        resolve();
      };
      const timer =
        ms === Infinity ? undefined : setTimeout(release, ms).unref();
      this.pending.add(release);
    });
  }
}
