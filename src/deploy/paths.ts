import path from "node:path";
import { fileURLToPath } from "node:url";

/** The roles `farmwatch install` knows, each a systemd unit. */
export const ROLES = ["agent", "exporter", "alerts"] as const;

/** One installable part of farmwatch. */
export type Role = (typeof ROLES)[number];

/** The config file every unit starts with (absolute, inside the root). */
export const CONFIG_FILE = "/etc/farmwatch/farmwatch.yaml";

/** Where unit files are installed: the administrator's unit directory. */
export const UNIT_DIR = "/etc/systemd/system";

/** The system user and group every unit runs as. */
export const SERVICE_USER = "farmwatch";

/** Alert state directory: `StateDirectory=farmwatch` of the alerts unit. */
export const STATE_DIR = "/var/lib/farmwatch";

/** The directory systemd creates when it runs as the init system. */
export const SYSTEMD_RUN_DIR = "/run/systemd/system";

/** The unit file name of a role, e.g. `farmwatch-agent.service`. */
export function unitName(role: Role): string {
  return `farmwatch-${role}.service`;
}

/** The drop-in that opens the agent's probed shares for writing. */
export const MOUNTS_DROPIN =
  `${UNIT_DIR}/${unitName("agent")}.d/` + "10-mounts.conf";

/** The package's root directory (holds bin/, dist/, deploy/). */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
}

/** Joins an absolute target path below an install root (`/` = real). */
export function underRoot(root: string, absolute: string): string {
  return path.join(root, absolute);
}
