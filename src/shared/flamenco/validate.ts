/**
 * Checks Manager answers against the shapes of the OpenAPI spec, by hand:
 * the spec itself is not shipped. A problem is reported as an issue and
 * repaired where that is safe (a missing or mistyped field gets an empty
 * value, an unknown enum value is kept as it came); an item without an id
 * is dropped, since nothing can be said about it.
 */

/** What kind of mismatch with the spec an answer had. */
export type IssueKind =
  "unknown_enum" | "missing_field" | "wrong_type" | "malformed_json";

/** One mismatch, located by a JSON-pointer-like path. */
export interface ValidationIssue {
  kind: IssueKind;
  /** E.g. `/workers/3/status`. */
  path: string;
  /** The offending value or what was expected, shortened. */
  detail: string;
}

/** The type a field must have; an array of strings is an enum. */
export type FieldType =
  "string" | "integer" | "boolean" | "object" | "array" | readonly string[];

/** Fields of one schema; `id` (when listed as required) is vital. */
export interface Shape {
  required: Record<string, FieldType>;
  optional?: Record<string, FieldType>;
}

function emptyOf(type: FieldType): unknown {
  if (Array.isArray(type)) return "unknown";
  switch (type) {
    case "string":
      return "";
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    default:
      return {};
  }
}

function hasType(value: unknown, type: FieldType): boolean {
  if (Array.isArray(type) || type === "string") {
    return typeof value === "string";
  }
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    default:
      return typeof value === "object" && value !== null;
  }
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkField(
  obj: Record<string, unknown>,
  key: string,
  type: FieldType,
  required: boolean,
  path: string,
  issues: ValidationIssue[],
): void {
  const value = obj[key];
  const where = `${path}/${key}`;
  if (value === undefined || value === null) {
    if (!required) return;
    issues.push({ kind: "missing_field", path: where, detail: "absent" });
    obj[key] = emptyOf(type);
    return;
  }
  if (!hasType(value, type)) {
    issues.push({ kind: "wrong_type", path: where, detail: short(value) });
    if (required) obj[key] = emptyOf(type);
    else delete obj[key];
    return;
  }
  if (Array.isArray(type) && !type.includes(value as string)) {
    issues.push({ kind: "unknown_enum", path: where, detail: short(value) });
  }
}

/**
 * Checks `value` against `shape` and repairs it in place. Returns the
 * object, or undefined when it is not an object or lacks a string `id`
 * the shape requires.
 */
export function checkObject<T>(
  value: unknown,
  shape: Shape,
  path: string,
  issues: ValidationIssue[],
): T | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({ kind: "wrong_type", path, detail: short(value) });
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  if ("id" in shape.required && typeof obj["id"] !== "string") {
    issues.push({ kind: "missing_field", path: `${path}/id`, detail: "id" });
    return undefined;
  }
  for (const [key, type] of Object.entries(shape.required)) {
    checkField(obj, key, type, true, path, issues);
  }
  for (const [key, type] of Object.entries(shape.optional ?? {})) {
    checkField(obj, key, type, false, path, issues);
  }
  return obj as T;
}

/**
 * Checks a list held under `key` of an object answer (`{"jobs": [...]}`),
 * or a bare array when `key` is undefined. Unusable items are dropped.
 */
export function checkList<T>(
  body: unknown,
  key: string | undefined,
  shape: Shape,
  issues: ValidationIssue[],
  nested?: (item: T, path: string) => void,
): T[] {
  let list: unknown = body;
  if (key !== undefined) {
    const obj = body as Record<string, unknown> | null | undefined;
    list = typeof obj === "object" && obj !== null ? obj[key] : undefined;
  }
  if (!Array.isArray(list)) {
    const where = key === undefined ? "" : `/${key}`;
    issues.push({ kind: "missing_field", path: where, detail: "list" });
    return [];
  }
  const out: T[] = [];
  list.forEach((item, i) => {
    const path = `${key === undefined ? "" : `/${key}`}/${i}`;
    const checked = checkObject<T>(item, shape, path, issues);
    if (checked === undefined) return;
    nested?.(checked, path);
    out.push(checked);
  });
  return out;
}
