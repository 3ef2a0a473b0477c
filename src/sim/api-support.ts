import type { FastifyReply } from "fastify";
import {
  JOB_STATUSES,
  TASK_STATUSES,
  WORKER_STATUSES,
} from "../shared/flamenco/types.js";

/** JSON content type of the Manager's answers (Echo's). */
export const JSON_TYPE = "application/json";
/** Content type of text answers such as log tails (Echo's). */
export const TEXT_TYPE = "text/plain; charset=UTF-8";

/** Sends the spec's `Error` body, as the Manager's `sendAPIError`. */
export function apiError(
  reply: FastifyReply,
  code: number,
  message: string,
): FastifyReply {
  return reply.code(code).type(JSON_TYPE).send({ code, message });
}

/**
 * Sends what the Manager's request validator answers: Echo's error body,
 * `{message}` only (not the spec's `Error`: the real Manager does this).
 */
export function validatorError(
  reply: FastifyReply,
  code: number,
  message: string,
): FastifyReply {
  return reply.code(code).type(JSON_TYPE).send({ message });
}

/** Sends an already serialised JSON body. */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.code(200).type(JSON_TYPE).send(json);
}

type Check = (body: Record<string, unknown>) => string | undefined;

function enumField(name: string, values: readonly string[]): Check {
  return (body) => {
    const v = body[name];
    if (v === undefined) return `property "${name}" is missing`;
    if (typeof v !== "string" || !values.includes(v)) {
      return (
        `Error at "/${name}": value is not one of the allowed values ` +
        `[${values.map((s) => `"${s}"`).join(",")}]`
      );
    }
    return undefined;
  };
}

function stringField(name: string): Check {
  return (body) => {
    if (body[name] === undefined) return `property "${name}" is missing`;
    if (typeof body[name] !== "string") {
      return `Error at "/${name}": value must be a string`;
    }
    return undefined;
  };
}

function boolField(name: string): Check {
  return (body) => {
    if (body[name] === undefined) return `property "${name}" is missing`;
    if (typeof body[name] !== "boolean") {
      return `Error at "/${name}": value must be a boolean`;
    }
    return undefined;
  };
}

const BODY_CHECKS: Record<string, Check[]> = {
  JobStatusChange: [enumField("status", JOB_STATUSES), stringField("reason")],
  TaskStatusChange: [enumField("status", TASK_STATUSES), stringField("reason")],
  WorkerStatusChangeRequest: [
    enumField("status", WORKER_STATUSES),
    boolField("is_lazy"),
  ],
  JobsQuery: [],
};

/**
 * Checks a request body the way the Manager's OpenAPI request validator
 * does; on a problem sends its 400 answer and returns undefined.
 */
export function checkBody<T>(
  reply: FastifyReply,
  schema: keyof typeof BODY_CHECKS,
  body: unknown,
): T | undefined {
  let problem: string | undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    problem = "value must be an object";
  } else {
    for (const check of BODY_CHECKS[schema] ?? []) {
      problem = check(body as Record<string, unknown>);
      if (problem) break;
    }
  }
  if (problem === undefined) return body as T;
  validatorError(
    reply,
    400,
    `request body has an error: doesn't match schema ` +
      `#/components/schemas/${schema}: ${problem}`,
  );
  return undefined;
}

/**
 * Answers a request the framework could not take (unparsable JSON,
 * unsupported content type, too large) as the Manager does: its request
 * validator's 400 `{message}`; anything else a 500 `Error`.
 */
export function answerFrameworkError(
  reply: FastifyReply,
  err: { statusCode?: number; message: string },
): FastifyReply {
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return validatorError(
      reply,
      400,
      "request body has an error: failed to decode request body: " +
        err.message,
    );
  }
  return apiError(reply, 500, "internal error");
}
