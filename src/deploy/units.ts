import { readFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE, packageRoot, unitName, type Role } from "./paths.js";

/** Absolute paths put into a unit's `ExecStart=`. */
export interface ExecPaths {
  /** The Node.js binary, e.g. `/usr/bin/node` (`process.execPath`). */
  node: string;
  /** The package's `bin/farmwatch.js`. */
  farmwatch: string;
  /** The config file; default {@link CONFIG_FILE}. */
  config?: string;
}

/** The shipped unit templates: `deploy/systemd` inside the package. */
export function templateDir(): string {
  return path.join(packageRoot(), "deploy", "systemd");
}

/**
 * The unit file of a role with its placeholders filled in. `node` runs
 * the script directly so that a Node.js outside systemd's PATH (nvm, a
 * tarball in /opt) still starts.
 */
export function renderUnit(role: Role, paths: ExecPaths): string {
  const template = readFileSync(
    path.join(templateDir(), unitName(role)),
    "utf8",
  );
  for (const [name, value] of Object.entries(paths)) {
    if (/\s/.test(value)) {
      throw new Error(`${name} path ${JSON.stringify(value)} has whitespace`);
    }
  }
  return template
    .replaceAll("@NODE@", paths.node)
    .replaceAll("@FARMWATCH@", paths.farmwatch)
    .replaceAll("@CONFIG@", paths.config ?? CONFIG_FILE);
}

/**
 * The agent drop-in making each probed share writable inside the unit's
 * read-only view of the system. `-` keeps a missing path from failing the
 * start. systemd opens the path with O_PATH, which does not trigger an
 * automount, so an unmounted share does not delay the start.
 */
export function renderMountsDropIn(mounts: readonly string[]): string {
  // KNOWN: not verified that systemd's namespace setup never stats a share
  // that is mounted and already hung when the agent (re)starts, which would
  // block the start; systemd is not PID 1 on the build machine, so it cannot
  // be tried here; a test on a systemd host with a blackholed NFS server
  // would settle it (workaround: canary off removes this drop-in).
  const lines = [
    "# Written by `farmwatch install agent` from agent.mounts.",
    "# The agent's canary writes a tiny per-host file on each share.",
    "[Service]",
    ...mounts.map((m) => `ReadWritePaths=-${escapeUnitPath(m)}`),
  ];
  return lines.join("\n") + "\n";
}

/** Escapes a path for a unit file setting (spaces as `\x20`). */
function escapeUnitPath(p: string): string {
  return p.replace(/[\s\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
}
