import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";

/** One canned answer of the fake Manager. */
export interface FakeAnswer {
  status?: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (overrides body), e.g. malformed JSON or a log tail. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Accept the request and never answer. */
  hang?: boolean;
}

type Route = FakeAnswer | ((req: IncomingMessage, body: string) => FakeAnswer);

/**
 * A Flamenco Manager faked by canned answers, on 127.0.0.1 port 0. Routes
 * are keyed `"GET /api/v3/jobs"`; unknown ones answer 404. Every answer
 * carries a Date header from `nowMs`, the Manager's own clock.
 */
export class FakeManager {
  readonly routes = new Map<string, Route>();
  /** Answers keys without a route (e.g. paths with ids); else 404. */
  fallback: ((key: string) => FakeAnswer | undefined) | undefined;
  /** Requests received, as `METHOD /path`. */
  readonly requests: string[] = [];
  nowMs = Date.UTC(2025, 5, 2, 12, 0, 0);
  /** Most requests in flight at once so far. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  url = "";

  constructor() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const key = `${req.method} ${req.url?.split("?")[0]}`;
        this.requests.push(key);
        const route = this.routes.get(key) ?? this.fallback?.(key);
        const a: FakeAnswer =
          route === undefined
            ? { status: 404, body: { code: 404, message: "not found" } }
            : typeof route === "function"
              ? route(req, body)
              : route;
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        res.on("close", () => (this.inFlight -= 1));
        if (a.hang) return;
        const text =
          a.text ?? (a.body === undefined ? "" : JSON.stringify(a.body));
        res.writeHead(a.status ?? 200, {
          date: new Date(this.nowMs).toUTCString(),
          "content-type": a.contentType ?? "application/json",
          ...a.headers,
        });
        res.end(text);
      });
    });
    this.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  /** Sets the answer of `"METHOD /path"`. */
  set(key: string, route: Route): this {
    this.routes.set(key, route);
    return this;
  }

  /** Number of requests to `"METHOD /path"` so far. */
  count(key: string): number {
    return this.requests.filter((r) => r === key).length;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) =>
      this.server.listen(0, "127.0.0.1", resolve),
    );
    const addr = this.server.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Closes the server and every open connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts a fake Manager. */
export async function startFakeManager(): Promise<FakeManager> {
  return new FakeManager().listen();
}
