import { existsSync } from "node:fs";
import os from "node:os";
import { numberFlag, UsageError, type ParsedArgs } from "../cli/args.js";
import { findConfigFile, loadConfig } from "../shared/config/load.js";
import { ConfigSchema, type Config } from "../shared/config/schema.js";
import { ConfigError } from "../shared/errors.js";
import type { FlamencoClient } from "../shared/flamenco/client.js";
import type { CheckResult, DoctorInputs, Findings } from "./doctor/check.js";
import {
  checkManager,
  fetchFarmBlender,
  fetchStorageLocation,
  managerClient,
} from "./doctor/manager-checks.js";
import { checkBlender, checkWorkerUnit } from "./doctor/node-checks.js";
import { checkTailscale } from "./doctor/tailscale-check.js";
import { probeShare, type ShareProbe } from "./doctor/probe.js";
import { formatReport } from "./doctor/report.js";
import { checkShares } from "./doctor/share-check.js";
import type { Output } from "./install.js";
import { CONFIG_FILE } from "./paths.js";
import { runCommand, type CommandRunner } from "./system.js";

/** Checks `--skip` accepts. */
export const SKIPPABLE = [
  "manager",
  "share",
  "worker",
  "blender",
  "tailscale",
] as const;

/** The node as doctor sees it; tests replace every part. */
export interface DoctorHost {
  env: NodeJS.ProcessEnv;
  cwd: string;
  run: CommandRunner;
  probe: ShareProbe;
  /** The installed config, read when no other is named. */
  installedConfig: string;
  hostname: string;
  isSuperuser: boolean;
  now: () => Date;
}

/** This machine. */
export function realDoctorHost(): DoctorHost {
  return {
    env: process.env,
    cwd: process.cwd(),
    run: runCommand,
    probe: probeShare,
    installedConfig: CONFIG_FILE,
    hostname: os.hostname(),
    isSuperuser: process.getuid?.() === 0,
    now: () => new Date(),
  };
}

const STDIO: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

const FLAGS = [
  "manager-url",
  "blender-version",
  "timeout",
  "mountinfo",
  "skip",
];

/**
 * `farmwatch doctor [--config FILE] [--manager-url URL] [--blender-version
 * X.Y.Z] [--timeout SECONDS] [--mountinfo FILE] [--skip a,b]`: checks this
 * node and prints each finding with a fix. Exit 0 when nothing is wrong,
 * 1 when a problem was found, 2 usage.
 */
export async function runDoctor(
  args: ParsedArgs,
  output: Output = STDIO,
  host: DoctorHost = realDoctorHost(),
): Promise<number> {
  for (const name of args.flags.keys()) {
    if (!FLAGS.includes(name)) {
      throw new UsageError(`doctor: unknown option --${name}`);
    }
  }
  const skip = new Set(listFlag(args, "skip"));
  for (const name of skip) {
    if (!(SKIPPABLE as readonly string[]).includes(name)) {
      throw new UsageError(
        `doctor: --skip takes ${SKIPPABLE.join(", ")}; got ${name}`,
      );
    }
  }
  const { config, result: configResult } = readConfig(args, host);
  const inputs: DoctorInputs = {
    config,
    managerUrl: textFlag(args, "manager-url") ?? config.manager.url,
    blenderVersion: textFlag(args, "blender-version"),
    timeoutSeconds: numberFlag(args.flags, "timeout"),
    mountinfoPath: textFlag(args, "mountinfo") ?? "/proc/self/mountinfo",
    env: host.env,
    run: host.run,
    probe: host.probe,
    hostname: host.hostname,
    isSuperuser: host.isSuperuser,
    now: host.now,
  };
  const results = [configResult, ...(await runChecks(inputs, skip))];
  output.out(formatReport(host.hostname, results));
  return results.some((r) => r.status === "problem") ? 1 : 0;
}

/** Runs every check not skipped, in the order an owner would. */
export async function runChecks(
  inputs: DoctorInputs,
  skip: ReadonlySet<string>,
): Promise<CheckResult[]> {
  const found: Findings = {};
  const results: CheckResult[] = [];
  const skipped = (name: string) =>
    results.push({ name, status: "skipped", summary: "skipped (--skip)" });
  const client: FlamencoClient | undefined =
    inputs.managerUrl === undefined
      ? undefined
      : managerClient(inputs, inputs.managerUrl);
  try {
    if (skip.has("manager")) skipped("manager");
    else results.push(await checkManager(client, found));
    const reachable = found.managerReachable === true ? client : undefined;
    await askManager(inputs, reachable, skip, found);
    // The worker unit tells whose access the share probe should use.
    const worker = skip.has("worker")
      ? undefined
      : await checkWorkerUnit(inputs, found);
    if (skip.has("share")) skipped("share");
    else results.push(...(await checkShares(inputs, found)));
    if (worker) results.push(worker);
    else skipped("worker");
    if (skip.has("blender")) skipped("blender");
    else results.push(await checkBlender(inputs, found));
    if (skip.has("tailscale")) skipped("tailscale");
    else results.push(await checkTailscale(inputs));
  } finally {
    await client?.close();
  }
  return results;
}

/** What the farm looks like from the Manager: storage path, Blender. */
async function askManager(
  inputs: DoctorInputs,
  reachable: FlamencoClient | undefined,
  skip: ReadonlySet<string>,
  found: Findings,
): Promise<void> {
  // The Manager answered a moment ago; should it fail now, the fact
  // stays unknown and the share and blender checks say so.
  if (reachable && !skip.has("share")) {
    found.storageLocation = await fetchStorageLocation(reachable).catch(
      () => undefined,
    );
  }
  if (!skip.has("blender")) {
    found.farmBlender = await fetchFarmBlender(inputs, reachable).catch(
      () => undefined,
    );
  }
}

function readConfig(
  args: ParsedArgs,
  host: DoctorHost,
): { config: Config; result: CheckResult } {
  const options = { configFlag: args.configFlag, env: host.env, cwd: host.cwd };
  const configFlag =
    findConfigFile(options) ??
    (existsSync(host.installedConfig) ? host.installedConfig : undefined);
  try {
    const { config, file } = loadConfig({ ...options, configFlag });
    const summary = file
      ? `config ${file} is valid`
      : "no config file found: every default applies";
    return { config, result: { name: "config", status: "ok", summary } };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const unreadable = err.problems.some((p) => p.received === "EACCES");
    return {
      config: ConfigSchema.parse({}),
      result: {
        name: "config",
        status: "problem",
        summary: err.message,
        fix: unreadable
          ? "run doctor as root (`sudo farmwatch doctor`): the installed " +
            "config is readable only by root and the farmwatch group"
          : "correct the keys listed (`farmwatch example-config` shows " +
            "every key); the checks below use the defaults",
      },
    };
  }
}

function textFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

function listFlag(args: ParsedArgs, name: string): string[] {
  return (textFlag(args, name) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
