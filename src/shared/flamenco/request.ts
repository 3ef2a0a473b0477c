import { Agent, request, type Dispatcher } from "undici";
import { FlamencoApiError, FlamencoUnreachableError } from "../errors.js";

/** One request to the Manager as it went, for metrics. */
export interface RequestRecord {
  method: string;
  /** Route template, e.g. `/api/v3/jobs/{job_id}/tasks`. */
  endpoint: string;
  /** HTTP status when the Manager answered. */
  status?: number;
  /**
   * Why it failed: the HTTP status as text, `timeout`, `refused`,
   * `unreachable` or `malformed`; undefined on success.
   */
  errorCode?: string;
  durationSeconds: number;
  /** Response body size. */
  bytes: number;
}

/** What one raw exchange gave back. */
export interface RawAnswer {
  status: number;
  text: string;
  contentType: string;
  serverDate: Date | undefined;
  bytes: number;
  durationSeconds: number;
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date). */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: Date,
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === "") return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - now.getTime()) / 1000);
}

function unreachableCode(err: unknown): string {
  const e = err as {
    code?: unknown;
    name?: string;
    cause?: { code?: unknown };
  };
  // DOMException (AbortSignal.timeout) has a numeric code; use its name.
  const code = [e.code, e.cause?.code, e.name]
    .filter((c) => typeof c === "string")
    .join(" ");
  if (/TIMEOUT|Abort/i.test(code)) return "timeout";
  if (/ECONNREFUSED/.test(code)) return "refused";
  return "unreachable";
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/**
 * A connection pool to one Manager: at most `connections` sockets, every
 * phase of a request (connect, headers, body) bounded by `timeoutMs`, so a
 * Manager that accepts and never answers costs one timeout, not undici's
 * default 300 s.
 */
export function createDispatcher(
  timeoutMs: number,
  connections: number,
): Dispatcher {
  return new Agent({
    connections,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/**
 * Sends one request and reads the whole body. Throws
 * FlamencoUnreachableError (code `FW_MANAGER_UNREACHABLE`, reason in
 * `cause`) or FlamencoApiError (`FW_MANAGER_STATUS`, with
 * `retryAfterSeconds` from a Retry-After header); `record` is called in
 * every case.
 */
export async function exchange(
  dispatcher: Dispatcher,
  timeoutMs: number,
  req: { method: string; url: string; endpoint: string; body?: unknown },
  record: (r: RequestRecord) => void,
): Promise<RawAnswer> {
  const what = `${req.method} ${req.url}`;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const base = { method: req.method, endpoint: req.endpoint };
  let status = 0;
  let text = "";
  let headers: Record<string, string | string[] | undefined> = {};
  try {
    const res = await request(req.url, {
      dispatcher,
      method: req.method as Dispatcher.HttpMethod,
      headers:
        req.body === undefined ? {} : { "content-type": "application/json" },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.statusCode;
    headers = res.headers;
    text = await res.body.text();
  } catch (err) {
    const errorCode = unreachableCode(err);
    record({ ...base, errorCode, durationSeconds: seconds(), bytes: 0 });
    throw new FlamencoUnreachableError(
      "FW_MANAGER_UNREACHABLE",
      `${what}: ${errorCode}`,
      { cause: err },
    );
  }
  const bytes = Buffer.byteLength(text);
  const date = headerText(headers["date"]);
  const serverDate = date === "" ? undefined : new Date(date);
  const durationSeconds = seconds();
  if (status >= 400) {
    record({
      ...base,
      status,
      errorCode: String(status),
      durationSeconds,
      bytes,
    });
    const retryAfterSeconds = parseRetryAfter(
      headers["retry-after"],
      serverDate ?? new Date(),
    );
    throw new FlamencoApiError(
      "FW_MANAGER_STATUS",
      `${what}: ${status} ${errorMessage(text)}`.trim(),
      status,
      { retryAfterSeconds },
    );
  }
  record({ ...base, status, durationSeconds, bytes });
  const contentType = headerText(headers["content-type"]);
  return { status, text, contentType, serverDate, bytes, durationSeconds };
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === "string" ? body.message.slice(0, 200) : "";
  } catch {
    // A non-JSON error body is shown as is, shortened; nothing to count.
    return text.slice(0, 200);
  }
}
