import { request } from "undici";
import { FlamencoApiError, FlamencoUnreachableError } from "../errors.js";

/** Options for {@link FlamencoClient}. */
export interface FlamencoClientOptions {
  /** Manager base URL, e.g. `http://manager:8080`. */
  baseUrl: string;
  /** Per-request limit, connect to last body byte; never undici's 300 s. */
  timeoutSeconds: number;
}

/** An answer of the Manager with what the caller needs besides the body. */
export interface ApiAnswer<T> {
  body: T;
  status: number;
  /** The Manager's own clock, from its `Date` header. */
  serverDate: Date | undefined;
}

/** A client for the Flamenco Manager API v3. */
export class FlamencoClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: FlamencoClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutSeconds * 1000;
  }

  /** Sends one request; throws FlamencoApiError or FlamencoUnreachableError. */
  async call<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer<T>> {
    const url = `${this.baseUrl}${path}`;
    const what = `${method} ${url}`;
    let res;
    try {
      res = await request(url, {
        method,
        headers:
          body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (err) {
      const code =
        (err as { code?: string; name?: string }).code ?? (err as Error).name;
      throw new FlamencoUnreachableError(
        "FW_MANAGER_UNREACHABLE",
        `${what}: ${code}`,
        { cause: err },
      );
    }
    const text = await res.body.text();
    const dateHeader = res.headers["date"];
    const serverDate =
      typeof dateHeader === "string" ? new Date(dateHeader) : undefined;
    if (res.statusCode >= 400) {
      throw new FlamencoApiError(
        "FW_MANAGER_STATUS",
        `${what}: ${res.statusCode}`,
        res.statusCode,
      );
    }
    if (res.statusCode === 204 || text === "") {
      return { body: undefined as T, status: res.statusCode, serverDate };
    }
    try {
      return {
        body: JSON.parse(text) as T,
        status: res.statusCode,
        serverDate,
      };
    } catch (err) {
      throw new FlamencoApiError(
        "FW_MANAGER_MALFORMED",
        `${what}: malformed JSON`,
        res.statusCode,
        { cause: err },
      );
    }
  }
}
