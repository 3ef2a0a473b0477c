import { execFile } from "node:child_process";
import { existsSync, lstatSync, readFileSync } from "node:fs";
import path from "node:path";
import { UNIT_DIR, underRoot } from "./paths.js";

/** The outcome of one finished command. */
export interface CommandResult {
  /** Exit code; null when killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not run at all, e.g. `ENOENT`. */
  spawnError?: string;
  timedOut: boolean;
}

/** Runs a command; never throws, always settles within its timeout. */
export type CommandRunner = (
  argv: readonly string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv },
) => Promise<CommandResult>;

/**
 * Runs a program with a hard timeout: SIGKILL when it is over, and the
 * promise settles then even if the child cannot be reaped (a process
 * stuck in the kernel on a hung share).
 */
export const runCommand: CommandRunner = (argv, options) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    let settled = false;
    const finish = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = execFile(
      file!,
      args,
      { env: options.env ?? process.env, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
        const spawnError = e && typeof e.code === "string" ? e.code : undefined;
        finish({
          code: child.exitCode,
          stdout: String(stdout),
          stderr: String(stderr),
          ...(spawnError ? { spawnError } : {}),
          timedOut: false,
        });
      },
    );
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      child.unref();
      finish({ code: null, stdout: "", stderr: "", timedOut: true });
    }, options.timeoutMs);
  });

/** What install and uninstall ask of the target system. */
export interface TargetSystem {
  /** True when the install root is `/`: commands really run. */
  readonly live: boolean;
  /** The uid of a user, or undefined when there is no such user. */
  userId(name: string): Promise<number | undefined>;
  /** Enabled for boot (and, when live, also running). */
  unitInstalledAndRunning(unit: string): Promise<boolean>;
  /** Enabled for boot or running: something for uninstall to stop. */
  unitEnabledOrRunning(unit: string): Promise<boolean>;
}

const QUERY_TIMEOUT_MS = 15_000;

/** The running machine, asked through getent and systemctl. */
export function liveSystem(run: CommandRunner = runCommand): TargetSystem {
  const ok = async (argv: string[]) =>
    (await run(argv, { timeoutMs: QUERY_TIMEOUT_MS })).code === 0;
  return {
    live: true,
    userId: async (name) => {
      const argv = ["getent", "passwd", name];
      const result = await run(argv, { timeoutMs: QUERY_TIMEOUT_MS });
      return result.code === 0 ? uidOf(result.stdout) : undefined;
    },
    unitInstalledAndRunning: async (unit) =>
      (await ok(["systemctl", "is-enabled", "--quiet", unit])) &&
      (await ok(["systemctl", "is-active", "--quiet", unit])),
    unitEnabledOrRunning: async (unit) =>
      (await ok(["systemctl", "is-enabled", "--quiet", unit])) ||
      (await ok(["systemctl", "is-active", "--quiet", unit])),
  };
}

/** The symlink `systemctl enable` makes for a unit wanted at boot. */
export function wantsLink(unit: string): string {
  return `${UNIT_DIR}/multi-user.target.wants/${unit}`;
}

/**
 * A directory tree standing for a system (packaging, tests): users come
 * from its etc/passwd, "enabled" is the wants symlink, nothing runs.
 */
export function rootSystem(root: string): TargetSystem {
  // lstat: the link points at the target's absolute path, not into root.
  const linked = (unit: string) =>
    lstatSync(underRoot(root, wantsLink(unit)), {
      throwIfNoEntry: false,
    })?.isSymbolicLink() === true;
  return {
    live: false,
    userId: async (name) => {
      const file = path.join(root, "etc", "passwd");
      if (!existsSync(file)) return undefined;
      const line = readFileSync(file, "utf8")
        .split("\n")
        .find((l) => l.split(":")[0] === name);
      return line === undefined ? undefined : uidOf(line);
    },
    unitInstalledAndRunning: async (unit) => linked(unit),
    unitEnabledOrRunning: async (unit) => linked(unit),
  };
}

/** The uid field of a passwd line (`name:x:uid:gid:...`); NaN if bad. */
function uidOf(line: string): number {
  return Number(line.trim().split(":")[2]);
}
