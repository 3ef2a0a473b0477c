/**
 * The fake Bot API's HTTP plumbing: request parameters from a query
 * string, JSON or form body (as the Bot API accepts them), and answers
 * written only to live connections.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WireAnswer } from "./fake-bot-api-failures.js";

const MAX_BODY_BYTES = 1_000_000;

/** Parameters of a request: query string merged with the body. */
export function parseBody(
  req: IncomingMessage,
  raw: string,
): Record<string, unknown> {
  const url = new URL(req.url ?? "/", "http://fake");
  const params: Record<string, unknown> = {};
  const fromForm = (sp: URLSearchParams) => {
    for (const [k, v] of sp) {
      params[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    }
  };
  fromForm(url.searchParams);
  const type = req.headers["content-type"] ?? "";
  if (raw === "") return params;
  if (type.startsWith("application/json")) {
    Object.assign(params, JSON.parse(raw) as Record<string, unknown>);
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    fromForm(new URLSearchParams(raw));
  } else {
    throw new Error("unsupported content type");
  }
  return params;
}

/** The whole body; throws past MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Writes the answer; false when nothing reached a live connection. */
export function writeAnswer(res: ServerResponse, answer: WireAnswer): boolean {
  if (answer.kind === "hang") return false;
  if (answer.kind === "reset") {
    res.socket?.destroy();
    return false;
  }
  if (res.destroyed || res.socket === null || res.socket.destroyed) {
    return false;
  }
  if (answer.kind === "raw") {
    res.writeHead(answer.status, { "content-type": answer.contentType });
    res.end(answer.body);
    return true;
  }
  res.writeHead(answer.status, { "content-type": "application/json" });
  res.end(JSON.stringify(answer.body));
  return true;
}
