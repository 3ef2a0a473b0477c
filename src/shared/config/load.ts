import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError, type ConfigProblem } from "../errors.js";
import {
  ConfigSchema,
  SECRET_ENV,
  SECRET_PATHS,
  type Config,
} from "./schema.js";

/** Where the configuration came from, for the start-up log line. */
export interface LoadedConfig {
  config: Config;
  /** The file that was read, or undefined when running on defaults. */
  file: string | undefined;
}

/** Inputs of {@link loadConfig}; each defaults to the real process. */
export interface LoadOptions {
  /** Value of `--config`, if given. */
  configFlag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Finds the config file: `--config`, then `$FARMWATCH_CONFIG`, then
 * `./farmwatch.yaml`. A file named explicitly must exist; the implicit one
 * may be absent, and then every default applies.
 */
export function findConfigFile(options: LoadOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.configFlag ?? env.FARMWATCH_CONFIG;
  if (named !== undefined && named !== "") {
    return path.resolve(cwd, named);
  }
  const implicit = path.join(cwd, "farmwatch.yaml");
  return existsSync(implicit) ? implicit : undefined;
}

/**
 * Reads, validates and freezes the configuration. Every problem is
 * reported at once in one {@link ConfigError}.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = findConfigFile(options);
  const raw = file === undefined ? {} : readYamlFile(file);
  const problems: ConfigProblem[] = [];
  applySecretsFromEnv(raw, env, problems);
  const result = ConfigSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    problems.push(...result.error.issues.flatMap(toProblems));
  }
  if (problems.length > 0 || !result.success) {
    const where = file ?? "defaults";
    throw configError(
      `invalid configuration in ${where}: ${problems.length} problem(s)`,
      problems,
    );
  }
  return { config: deepFreeze(result.data), file };
}

/** Parses a config document given as text (used by reload and tests). */
export function parseConfigText(text: string, source: string): unknown {
  // A collection used as a key becomes its text and then fails as an
  // unknown key; the library need not warn about it on stderr too.
  const doc = parseDocument(text, { prettyErrors: true, logLevel: "error" });
  if (doc.errors.length > 0) {
    throw configError(
      `read configuration ${source}: YAML syntax error`,
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        // The parser's own message quotes the text around the error, which
        // may be a secret: only its code and position are shown.
        return {
          path: at ? `line ${at.line}, column ${at.col}` : "(file)",
          expected: "valid YAML",
          received: e.code.toLowerCase().replaceAll("_", " "),
        };
      }),
    );
  }
  const value: unknown = dropNulls(doc.toJS()) ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw configError(`read configuration ${source}: not a mapping`, [
      {
        path: "(file)",
        expected: "a mapping of sections",
        received: describe(value),
      },
    ]);
  }
  return value;
}

/**
 * An empty YAML value (`url:` with nothing after it, or a section whose
 * keys are all commented out) means "not set", so the default applies.
 */
function dropNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as object)) {
      const kept = dropNulls(child);
      if (kept !== undefined) out[key] = kept;
    }
    return out;
  }
  return value;
}

function readYamlFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw configError(
      `read configuration ${file}: ${code}`,
      [{ path: "(file)", expected: "a readable YAML file", received: code }],
      err,
    );
  }
  return parseConfigText(text, file) as Record<string, unknown>;
}

/**
 * Secrets come from `NAME` or from the file named by `NAME_FILE`; the
 * environment wins over the config file.
 */
function applySecretsFromEnv(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
): void {
  for (const { env: name, path: keyPath } of SECRET_ENV) {
    let value = env[name];
    const fileName = env[`${name}_FILE`];
    if ((value === undefined || value === "") && fileName) {
      try {
        value = readFileSync(fileName, "utf8").trim();
      } catch (err) {
        problems.push({
          path: `${name}_FILE`,
          expected: "a readable file holding the secret",
          received: (err as NodeJS.ErrnoException).code ?? "unreadable",
        });
        continue;
      }
    }
    if (value !== undefined && value !== "") setPath(raw, keyPath, value);
  }
}

function setPath(
  target: Record<string, unknown>,
  keyPath: readonly string[],
  value: unknown,
): void {
  let node = target;
  for (const key of keyPath.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) {
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  node[keyPath[keyPath.length - 1]!] = value;
}

function toProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  const at = issue.path.map(String).join(".") || "(root)";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: at === "(root)" ? key : `${at}.${key}`,
      expected: "no such key (unknown keys are rejected)",
      received: "unknown key",
    }));
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    return issue.errors
      .flat()
      .flatMap((inner) =>
        toProblems({ ...inner, path: [...issue.path, ...inner.path] }),
      );
  }
  const secret = SECRET_PATHS.some(
    (p) => p.join(".") === issue.path.map(String).join("."),
  );
  const received = secret ? "[redacted]" : describe(issue.input);
  return [{ path: at, expected: expectedOf(issue), received }];
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `${issue.origin} ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
    case "too_big":
      return `${issue.origin} ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
    case "invalid_format":
      return issue.format === "url" ? "an http(s) URL" : issue.format;
    default:
      return issue.message;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `string ${JSON.stringify(short)}`;
  }
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === "object") return "mapping";
  return `${typeof value} ${String(value)}`;
}

/** A ConfigError whose message lists every problem, one per line. */
function configError(
  summary: string,
  problems: ConfigProblem[],
  cause?: unknown,
): ConfigError {
  return new ConfigError(
    [summary, ...problems.map(formatProblem)].join("\n"),
    problems,
    cause === undefined ? undefined : { cause },
  );
}

function formatProblem(p: ConfigProblem): string {
  return `  ${p.path}: expected ${p.expected}, got ${p.received}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A copy of the config with every secret replaced by `[redacted]`. */
export function redactConfig(config: Config): unknown {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const keyPath of SECRET_PATHS) {
    let node: unknown = copy;
    for (const key of keyPath.slice(0, -1)) {
      node = (node as Record<string, unknown> | undefined)?.[key];
    }
    const last = keyPath[keyPath.length - 1]!;
    const parent = node as Record<string, unknown> | undefined;
    if (parent && parent[last] !== undefined) parent[last] = "[redacted]";
  }
  return copy;
}
