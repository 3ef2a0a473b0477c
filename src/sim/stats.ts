import type { FastifyInstance } from "fastify";

/** Requests and answer bytes of one route. */
export interface RouteStats {
  requests: number;
  bytes: number;
}

/** What `GET /sim/stats` answers. */
export interface SimStats {
  /** Sum over every Manager API route. */
  total: RouteStats;
  /** Per route, keyed `METHOD /api/v3/template/{id}`. */
  routes: Record<string, RouteStats>;
}

/**
 * Counts Manager API requests (`/api/v3`) and the bytes of their answers
 * per route, so benchmarks can compare what pollers cost the Manager.
 */
export class Stats {
  private routes = new Map<string, RouteStats>();
  private total: RouteStats = { requests: 0, bytes: 0 };

  /** Installs the counting hook; call after the fault hooks. */
  install(app: FastifyInstance): void {
    app.addHook("onSend", async (req, _reply, payload) => {
      if (!req.url.startsWith("/api/v3")) return payload;
      const template = (
        req.routeOptions.url ??
        req.url.split("?")[0] ??
        ""
      ).replace(/:([a-z_]+)/g, "{$1}");
      const key = `${req.method} ${template}`;
      const bytes =
        typeof payload === "string"
          ? Buffer.byteLength(payload)
          : Buffer.isBuffer(payload)
            ? payload.length
            : 0;
      let entry = this.routes.get(key);
      if (!entry) {
        entry = { requests: 0, bytes: 0 };
        this.routes.set(key, entry);
      }
      entry.requests++;
      entry.bytes += bytes;
      this.total.requests++;
      this.total.bytes += bytes;
      return payload;
    });
  }

  /** A copy of the counters. */
  snapshot(): SimStats {
    return {
      total: { ...this.total },
      routes: Object.fromEntries(
        [...this.routes].map(([k, v]) => [k, { ...v }]),
      ),
    };
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.routes = new Map();
    this.total = { requests: 0, bytes: 0 };
  }
}
