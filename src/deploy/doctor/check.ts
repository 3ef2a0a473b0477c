import type { Config } from "../../shared/config/schema.js";
import type { CommandRunner } from "../system.js";
import type { ShareProbe } from "./probe.js";

/** How one check came out. */
export type CheckStatus = "ok" | "problem" | "skipped";

/** One line of the doctor's list, in plain words. */
export interface CheckResult {
  /** Short name, also what `--skip` takes: `manager`, `share`, ... */
  name: string;
  status: CheckStatus;
  /** What was found. */
  summary: string;
  /** How to fix it; set for every problem. */
  fix?: string;
}

/** Everything the checks read from the node; tests inject each part. */
export interface DoctorInputs {
  config: Config;
  /** Base URL of the Manager: `--manager-url`, else `manager.url`. */
  managerUrl: string | undefined;
  /** Farm Blender version given with `--blender-version`, e.g. `4.2.1`. */
  blenderVersion: string | undefined;
  /** Seconds each external call may take; overrides the config's. */
  timeoutSeconds: number | undefined;
  /** `/proc/self/mountinfo` or a fixture. */
  mountinfoPath: string;
  /** Environment of spawned programs; its PATH finds them. */
  env: NodeJS.ProcessEnv;
  run: CommandRunner;
  probe: ShareProbe;
  /** This node's name, for the per-host probe file. */
  hostname: string;
  /** Whether the probe may switch to the worker unit's user. */
  isSuperuser: boolean;
  /** The clock, for key expiry. */
  now: () => Date;
}

/** Facts one check learns that a later check uses. */
export interface Findings {
  /** The Manager's shared storage path for Linux workers. */
  storageLocation?: string;
  /** The farm's Blender version, from the flag or the Manager. */
  farmBlender?: { version: string; source: string };
  /** The user the Flamenco Worker unit runs as, when it says. */
  workerUser?: string;
  managerReachable?: boolean;
}

/** Milliseconds for one external call: the override, else the default. */
export function timeoutMs(inputs: DoctorInputs, seconds: number): number {
  return (inputs.timeoutSeconds ?? seconds) * 1000;
}

/** A found problem with its fix. */
export function problem(
  name: string,
  summary: string,
  fix: string,
): CheckResult {
  return { name, status: "problem", summary, fix };
}
