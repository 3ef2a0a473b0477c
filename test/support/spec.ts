import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

// ajv-formats is CommonJS; under NodeNext its default import is the module.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Where the Flamenco Manager OpenAPI spec lives: beside the repository, at
 * `../shared/flamenco/flamenco-openapi.yaml` (GPLv3; read at test time,
 * never copied into the repo).
 */
export const SPEC_PATH = fileURLToPath(
  new URL("../../../shared/flamenco/flamenco-openapi.yaml", import.meta.url),
);

const SPEC_ID = "flamenco-openapi";

type Method = "get" | "post" | "put" | "delete";

interface SpecResponse {
  content?: Record<string, { schema?: unknown }>;
}
interface SpecOperation {
  responses: Record<string, SpecResponse>;
}
interface SpecDoc {
  paths: Record<string, Partial<Record<Method, SpecOperation>>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

let cached: { doc: SpecDoc; ajv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * Corrections of known errors in the spec, so that answers of the real
 * Manager validate. Each names what is wrong upstream.
 */
function applyErrata(doc: SpecDoc): void {
  // JobTasksSummary requires `jobs`, a property it does not have; the real
  // Manager sends `tasks` (the Go struct marks it optional).
  const summary = doc.components.schemas["JobTasksSummary"];
  if (summary) summary["required"] = [];
  // EventLastRenderedUpdate requires `task_id`, which it does not define.
  const lastRendered = doc.components.schemas["EventLastRenderedUpdate"];
  if (lastRendered) lastRendered["required"] = ["job_id", "thumbnail"];
}

/** The parsed spec and an ajv instance holding it; loaded once. */
export function loadSpec(): { doc: SpecDoc; ajv: Ajv } {
  if (cached) return cached;
  const doc = parse(readFileSync(SPEC_PATH, "utf8")) as SpecDoc;
  applyErrata(doc);
  // strict off: OpenAPI keywords such as `example` are not JSON Schema.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc as object, SPEC_ID);
  cached = { doc, ajv };
  return cached;
}

function pointerPart(part: string): string {
  return part.replace(/~/g, "~0").replace(/\//g, "~1");
}

function compileAt(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    validate = loadSpec().ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath === "" ? "(root)" : e.instancePath;
    const params = e.params as { allowedValues?: unknown[] };
    const allowed =
      e.keyword === "enum" ? ` ${JSON.stringify(params.allowedValues)}` : "";
    return `${where} ${e.message ?? e.keyword}${allowed}`;
  });
}

/**
 * A validator for one component schema, e.g. `schemaValidator("Job")`.
 * Throws when the spec has no such schema.
 */
export function schemaValidator(name: string): ValidateFunction {
  if (!loadSpec().doc.components.schemas[name]) {
    throw new Error(`spec has no component schema ${name}`);
  }
  return compileAt(`/components/schemas/${pointerPart(name)}`);
}

/** Validates `body` against component schema `name`; [] when valid. */
export function validateSchema(name: string, body: unknown): string[] {
  const validate = schemaValidator(name);
  return validate(body) ? [] : describeErrors(validate.errors);
}

/** The spec's answer for a status: the exact code, else `default`. */
function findResponse(
  method: string,
  pathTemplate: string,
  status: number,
): { key: string; response: SpecResponse } | string {
  const m = method.toLowerCase() as Method;
  const op = loadSpec().doc.paths[pathTemplate]?.[m];
  if (!op) return `spec has no operation ${method} ${pathTemplate}`;
  const key = op.responses[String(status)] ? String(status) : "default";
  const response = op.responses[key];
  if (!response) {
    return `spec has no ${status} answer for ${method} ${pathTemplate}`;
  }
  return { key, response };
}

/**
 * Content types the spec allows for an answer (empty: no body), or an
 * error string when the spec has no such answer.
 */
export function responseContentTypes(
  method: string,
  pathTemplate: string,
  status: number,
): string[] | string {
  const found = findResponse(method, pathTemplate, status);
  if (typeof found === "string") return found;
  return Object.keys(found.response.content ?? {});
}

/**
 * Validates one answer against the spec's operation `method pathTemplate`
 * (e.g. `"GET", "/api/v3/jobs/{job_id}"`) and status; falls back to the
 * `default` answer as OpenAPI does. `body` is the parsed JSON, the text
 * for `text/plain`, or undefined/"" for an answer without content.
 * `contentType` defaults to `application/json` when the spec defines a
 * body. Returns the problems found; [] means conformant.
 */
export function validateResponse(
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
  contentType?: string,
): string[] {
  const found = findResponse(method, pathTemplate, status);
  if (typeof found === "string") return [found];
  const content = found.response.content ?? {};
  const types = Object.keys(content);
  if (types.length === 0) {
    const empty = body === undefined || body === "" || body === null;
    return empty ? [] : [`answer ${status} must have no body`];
  }
  const type = (contentType ?? types[0] ?? "").split(";")[0]?.trim() ?? "";
  if (!content[type]) {
    return [`content type ${type} not in spec (${types.join(", ")})`];
  }
  const pointer =
    `/paths/${pointerPart(pathTemplate)}/${method.toLowerCase()}` +
    `/responses/${found.key}/content/${pointerPart(type)}/schema`;
  const validate = compileAt(pointer);
  return validate(body) ? [] : describeErrors(validate.errors);
}
