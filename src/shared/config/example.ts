import { stringify } from "yaml";
import { z } from "zod";
import { ConfigSchema } from "./schema.js";

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
}

/**
 * The documented example configuration, generated from the schema so that
 * it always covers every key with its default and meaning. Keys without a
 * default are shown commented out.
 */
export function renderExampleConfig(): string {
  const root = z.toJSONSchema(ConfigSchema, {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchemaNode;
  const lines = [
    "# farmwatch configuration: every key, with its default.",
    "# Durations are in seconds, sizes in bytes, ratios from 0 to 1.",
    "# Secrets are better given as environment variables (see README).",
    "",
  ];
  renderProperties(root, 0, lines);
  return lines.join("\n") + "\n";
}

function renderProperties(
  node: JsonSchemaNode,
  depth: number,
  lines: string[],
): void {
  const indent = "  ".repeat(depth);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (child.description) {
      for (const text of wrap(child.description, 76 - indent.length)) {
        lines.push(`${indent}# ${text}`);
      }
    }
    if (child.enum) {
      lines.push(`${indent}# One of: ${child.enum.map(String).join(", ")}.`);
    }
    if (child.properties && Object.keys(child.properties).length > 0) {
      lines.push(`${indent}${key}:`);
      renderProperties(child, depth + 1, lines);
    } else if (child.default === undefined) {
      lines.push(`${indent}# ${key}:`);
    } else {
      lines.push(`${indent}${scalarLine(key, child.default, indent)}`);
    }
    if (depth <= 1 && lines[lines.length - 1] !== "") lines.push("");
  }
}

function scalarLine(key: string, value: unknown, indent: string): string {
  const isEmptyCollection =
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).length === 0);
  if (typeof value !== "object" || value === null || isEmptyCollection) {
    return `${key}: ${stringify(value, { flow: true }).trim()}`;
  }
  const body = stringify(value).trimEnd().split("\n");
  return [`${key}:`, ...body.map((l) => `${indent}  ${l}`)].join("\n");
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}
