import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { loadConfig } from "../../src/shared/config/load.js";
import { ConfigError } from "../../src/shared/errors.js";
import { REPO_ROOT } from "../../test/support/cli.js";
import { mutateText, mutateValue, Rng } from "./mutate.js";
import { newResult, type FaultResult } from "./report.js";

/** Seeded mutations of the config file tried. */
export const CONFIG_FUZZ_COUNT = 400;
const SEED = 20261204;
/** A token that must never show in an error message. */
const SECRET = "123:SECRET-never-in-messages";
const MAX_PROBLEMS_SHOWN = 5;

/** The documented example with a secret set: a valid, complete config. */
function baseConfig(): Record<string, unknown> {
  const text = readFileSync(
    path.join(REPO_ROOT, "farmwatch.example.yaml"),
    "utf8",
  );
  const base = (parse(text) ?? {}) as Record<string, Record<string, unknown>>;
  const alerts = (base.alerts ??= {});
  alerts.telegram = { ...(alerts.telegram as object), token: SECRET };
  return base;
}

/** What is wrong with one outcome of `loadConfig`, if anything. */
function judge(file: string): string | undefined {
  try {
    const { config } = loadConfig({ configFlag: file, env: {} });
    return Object.isFrozen(config) ? undefined : "config not frozen";
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      return `crash: ${(err as Error).stack ?? String(err)}`.slice(0, 300);
    }
    if (err.message.includes(SECRET)) return SECRET_SHOWN;
    if (err.problems.length === 0) return "ConfigError without problems";
    const unnamed = err.problems.find((p) => !err.message.includes(p.path));
    if (unnamed) return `problem ${unnamed.path} not in the message`;
    return undefined;
  }
}

/** Which mutations a config fuzz run applies. */
export type ConfigFuzzMode = "schema" | "text";

/** Verdict of an error message that shows the secret. */
const SECRET_SHOWN = "secret in the error message";

function mutated(
  base: Record<string, unknown>,
  mode: ConfigFuzzMode,
  rng: Rng,
) {
  let what = "";
  for (let n = 1 + rng.int(3); n > 0; n--)
    what += mutateValue(base, rng) + "; ";
  let text = JSON.stringify(base, null, 2);
  if (mode === "text") {
    text = mutateText(text, rng);
    what += "text mutated";
  }
  return { text, what };
}

/**
 * Bad-input fuzzing of the config loader: random structural (`schema`) or
 * structural and textual (`text`) mutations of a valid config. Each must
 * load, or fail with a ConfigError that names every problem and never
 * the secret.
 */
export async function fuzzConfig(mode: ConfigFuzzMode): Promise<FaultResult> {
  const count = mode === "schema" ? CONFIG_FUZZ_COUNT : CONFIG_FUZZ_COUNT / 2;
  const r = newResult(`fuzz config loader, ${mode} (${count} inputs)`);
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), "farmwatch-fuzz-config-"));
  const rng = new Rng(mode === "schema" ? SEED : SEED + 1);
  const problems: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const { text, what } = mutated(baseConfig(), mode, rng);
      const file = path.join(dir, `case-${i}.yaml`);
      writeFileSync(file, text);
      const verdict = judge(file);
      if (verdict?.startsWith("crash")) r.crashes++;
      if (verdict !== undefined)
        problems.push(`case ${i} (${what}): ${verdict}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const shown = problems.filter((p) => p.endsWith(SECRET_SHOWN)).length;
  const others = problems.filter((p) => !p.endsWith(SECRET_SHOWN));
  r.problems.push(...others.slice(0, MAX_PROBLEMS_SHOWN));
  if (others.length > MAX_PROBLEMS_SHOWN) {
    r.problems.push(`... and ${others.length - MAX_PROBLEMS_SHOWN} more`);
  }
  if (shown > 0) r.problems.push(`${shown} error messages show the secret`);
  r.seconds = (Date.now() - started) / 1000;
  if (problems.length > 0) r.verdict = "FAIL";
  return r;
}
