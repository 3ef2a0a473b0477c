import path from "node:path";
import { numberFlag, UsageError, type ParsedArgs } from "../cli/args.js";
import { packageRoot, ROLES, SYSTEMD_RUN_DIR, type Role } from "./paths.js";
import { planUninstall } from "./plan-uninstall.js";
import { planInstall, type InstallRequest } from "./plan.js";
import { execute } from "./run-plan.js";
import { runCommand, type CommandRunner } from "./system.js";

/** Where install and uninstall write their report, line by line. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** The machine install runs on; tests replace every part. */
export interface Host {
  /** Exists only where systemd is the running init system. */
  systemdRunDir: string;
  /** Whether this process may change the system (uid 0). */
  isSuperuser: boolean;
  run: CommandRunner;
  /** Where the live system's files are: `/` (a directory in tests). */
  fsRoot: string;
}

/** The real machine. */
export function realHost(): Host {
  return {
    systemdRunDir: SYSTEMD_RUN_DIR,
    isSuperuser: process.getuid?.() === 0,
    run: runCommand,
    fsRoot: "/",
  };
}

const STDIO: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** A run of install or uninstall, as the command line asked. */
export interface Invocation {
  roles: Role[];
  root: string;
  dryRun: boolean;
}

/**
 * `farmwatch install <agent|exporter|alerts|all> [--manager-url URL]
 * [--mount /mnt/render[,...]] [--uid N] [--root DIR] [--dry-run]
 * [--node PATH] [--bin PATH]`. Exit 0 installed (or nothing to do),
 * 1 refused or failed, 2 usage.
 */
export async function runInstall(
  args: ParsedArgs,
  output: Output = STDIO,
  host: Host = realHost(),
): Promise<number> {
  const parsed = readFlags(args, INSTALL_FLAGS);
  const { flags } = parsed;
  const inv = invocation(parsed, "install");
  const managerUrl = stringFlag(flags, "manager-url");
  if (managerUrl !== undefined && !/^https?:\/\/[^/]/.test(managerUrl)) {
    throw new UsageError(
      `--manager-url expects http://host:port, got ${managerUrl}`,
    );
  }
  const req: Omit<InstallRequest, "root"> = {
    roles: inv.roles,
    managerUrl,
    mounts: listFlag(flags, "mount"),
    uid: uidFlag(flags),
    exec: {
      node: stringFlag(flags, "node") ?? process.execPath,
      farmwatch:
        stringFlag(flags, "bin") ??
        path.join(packageRoot(), "bin", "farmwatch.js"),
    },
  };
  return execute(inv, output, host, "install", async (system, fsRoot) => {
    for (const [name, p] of Object.entries(req.exec)) {
      if (inv.root === "/" && /^\/(home|root)(\/|$)/.test(p)) {
        throw new Error(
          `install: ${name} at ${p} is hidden from the services by ` +
            "ProtectHome=yes; install Node.js and farmwatch system-wide " +
            "(e.g. npm install -g) or pass --node/--bin",
        );
      }
    }
    return planInstall({ ...req, root: fsRoot }, system);
  });
}

/**
 * `farmwatch uninstall [agent|exporter|alerts|all] [--purge] [--root DIR]
 * [--dry-run]`: stops and removes units; config, state and user stay
 * unless `--purge` and no farmwatch unit remains. Exit codes as install.
 */
export async function runUninstall(
  args: ParsedArgs,
  output: Output = STDIO,
  host: Host = realHost(),
): Promise<number> {
  const parsed = readFlags(args, UNINSTALL_FLAGS);
  const inv = invocation(parsed, "uninstall");
  const purge = parsed.flags.get("purge") === true;
  return execute(inv, output, host, "uninstall", (system, fsRoot) =>
    planUninstall({ roles: inv.roles, root: fsRoot, purge }, system, ROLES),
  );
}

const INSTALL_FLAGS = [
  "manager-url",
  "mount",
  "uid",
  "root",
  "dry-run",
  "node",
  "bin",
];
const UNINSTALL_FLAGS = ["root", "dry-run", "purge"];

/** Flags that take no value. */
const SWITCHES = ["dry-run", "purge"];

/**
 * Checks the flags against `allowed`. The shared parser reads the word
 * after a bare flag as its value; for a switch that word is a role
 * (`install --dry-run agent`), so it goes back to the positionals.
 */
function readFlags(
  args: ParsedArgs,
  allowed: readonly string[],
): { flags: Map<string, string | true>; words: string[] } {
  const flags = new Map(args.flags);
  const words = [...args.positionals];
  for (const [name, value] of flags) {
    if (!allowed.includes(name)) {
      throw new UsageError(`${args.command ?? ""}: unknown option --${name}`);
    }
    if (SWITCHES.includes(name) && value !== true) {
      words.push(value);
      flags.set(name, true);
    }
  }
  return { flags, words };
}

function invocation(
  { flags, words }: ReturnType<typeof readFlags>,
  verb: string,
): Invocation {
  if (words.length === 0 && verb === "install") {
    throw new UsageError("install: name a role: agent, exporter, alerts, all");
  }
  const roles = new Set<Role>();
  for (const word of words.length > 0 ? words : ["all"]) {
    if (word === "all") ROLES.forEach((r) => roles.add(r));
    else if ((ROLES as readonly string[]).includes(word))
      roles.add(word as Role);
    else throw new UsageError(`${verb}: unknown role "${word}"`);
  }
  const root = stringFlag(flags, "root") ?? "/";
  if (!path.isAbsolute(root)) {
    throw new UsageError(`${verb}: --root needs an absolute directory`);
  }
  return {
    roles: ROLES.filter((r) => roles.has(r)),
    root: path.resolve(root),
    dryRun: flags.get("dry-run") === true,
  };
}

function stringFlag(
  flags: Map<string, string | true>,
  name: string,
): string | undefined {
  const value = flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

function uidFlag(flags: Map<string, string | true>): number | undefined {
  const uid = numberFlag(flags, "uid");
  if (uid !== undefined && (!Number.isInteger(uid) || uid <= 0)) {
    throw new UsageError(`--uid expects a positive whole number, got ${uid}`);
  }
  return uid;
}

function listFlag(flags: Map<string, string | true>, name: string): string[] {
  const value = stringFlag(flags, name);
  if (value === undefined) return [];
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!item.startsWith("/")) {
      throw new UsageError(`--${name} expects absolute paths, got ${item}`);
    }
  }
  return items;
}
