import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** The repository root, from this file's place in `test/rules/`. */
export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../..",
);

/** `prometheus/` of the repository. */
export const PROMETHEUS_DIR = path.join(REPO_ROOT, "prometheus");

/** One alerting or recording rule as written in a rule file. */
export interface PromRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rule with the file it came from, e.g. `flamenco.rules.yml`. */
export interface LoadedRule extends PromRule {
  file: string;
}

/** Names of the shipped rule files under `prometheus/rules/`. */
export function ruleFileNames(): string[] {
  return readdirSync(path.join(PROMETHEUS_DIR, "rules"))
    .filter((f) => f.endsWith(".rules.yml"))
    .sort();
}

/** Every rule of every shipped rule file, in file order. */
export function loadRules(): LoadedRule[] {
  return ruleFileNames().flatMap((file) => {
    const text = readFileSync(path.join(PROMETHEUS_DIR, "rules", file), "utf8");
    const doc = parse(text) as { groups: { rules: PromRule[] }[] };
    return doc.groups.flatMap((g) => g.rules.map((r) => ({ ...r, file })));
  });
}

/** Prometheus duration (`90s`, `2m`, `1h30m`) in seconds. */
export function durationSeconds(text: string | undefined): number {
  if (text === undefined) return 0;
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86400,
    w: 604800,
    y: 31536000,
  };
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(m[1]) * units[m[2]!]!;
  }
  return total;
}
