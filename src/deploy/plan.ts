import { UsageError } from "../cli/args.js";
import { loadConfig } from "../shared/config/load.js";
import { present, sameContent, type Action } from "./actions.js";
import { renderNodeConfig } from "./config-file.js";
import {
  CONFIG_FILE,
  MOUNTS_DROPIN,
  SERVICE_USER,
  UNIT_DIR,
  underRoot,
  unitName,
  type Role,
} from "./paths.js";
import { wantsLink, type TargetSystem } from "./system.js";
import { renderMountsDropIn, renderUnit, type ExecPaths } from "./units.js";

/** What `farmwatch install` was asked to do. */
export interface InstallRequest {
  roles: readonly Role[];
  /** Target root: `/` for this machine, a directory for packaging. */
  root: string;
  exec: ExecPaths;
  /** Required only when no config file exists yet. */
  managerUrl: string | undefined;
  /** Shares the agent probes; used only for a new config. */
  mounts: readonly string[];
  /**
   * Fixed uid of the service user, the same on every node so that the
   * agent's canary files on an NFS share have one owner; default: any.
   */
  uid?: number | undefined;
}

/** The steps to take, and what already matches (for the report). */
export interface Plan {
  actions: Action[];
  unchanged: string[];
}

/** Declares the service user for systemd-sysusers (packaging, --root). */
export const SYSUSERS_FILE = "/etc/sysusers.d/farmwatch.conf";

function sysusersLine(uid: number | undefined): string {
  const id = uid === undefined ? "-" : String(uid);
  return (
    `u ${SERVICE_USER} ${id} "farmwatch monitoring" ` +
    "/nonexistent /usr/sbin/nologin\n"
  );
}

const USERADD = [
  "useradd",
  "--system",
  "--user-group",
  "--no-create-home",
  "--home-dir",
  "/nonexistent",
  "--shell",
  "/usr/sbin/nologin",
  SERVICE_USER,
];

/**
 * Compares the wanted state with the target and lists only the steps
 * that change something, so a second run plans nothing.
 * Throws UsageError (no Manager URL for a new config) or ConfigError.
 */
export async function planInstall(
  req: InstallRequest,
  system: TargetSystem,
): Promise<Plan> {
  const plan: Plan = { actions: [], unchanged: [] };

  await planUser(req, system, plan);

  const mounts = planConfig(req, plan);

  let unitsChanged = false;
  const changed = new Set<Role>();
  for (const role of req.roles) {
    const file = `${UNIT_DIR}/${unitName(role)}`;
    if (planFile(req.root, file, renderUnit(role, req.exec), 0o644, plan)) {
      unitsChanged = true;
      changed.add(role);
    }
    if (role === "agent" && planDropIn(req.root, mounts, plan)) {
      unitsChanged = true;
      changed.add(role);
    }
  }
  if (unitsChanged) {
    plan.actions.push({ kind: "run", argv: ["systemctl", "daemon-reload"] });
  }

  for (const role of req.roles) {
    await planEnable(role, changed.has(role), system, plan);
  }
  return plan;
}

/**
 * Live: useradd. Under a root nothing can run, so the user is declared in
 * sysusers.d instead: systemd-sysusers creates it on the target at boot.
 */
async function planUser(
  req: InstallRequest,
  system: TargetSystem,
  plan: Plan,
): Promise<void> {
  const uid = req.uid === undefined ? [] : ["--uid", String(req.uid)];
  if (!system.live) {
    planFile(req.root, SYSUSERS_FILE, sysusersLine(req.uid), 0o644, plan);
    return;
  }
  const existing = await system.userId(SERVICE_USER);
  if (existing !== undefined) {
    plan.unchanged.push(`user ${SERVICE_USER} exists`);
    if (req.uid !== undefined && existing !== req.uid) {
      plan.actions.push({
        kind: "note",
        text:
          `user ${SERVICE_USER} has uid ${existing}, not --uid ${req.uid}; ` +
          `to change it: \`systemctl stop 'farmwatch-*'\`, ` +
          `\`usermod -u ${req.uid} ${SERVICE_USER}\``,
      });
    }
  } else {
    plan.actions.push({
      kind: "run",
      argv: [...USERADD.slice(0, -1), ...uid, SERVICE_USER],
    });
  }
}

/**
 * Plans the config file. Returns the shares the agent writes its canary
 * to (agent.mounts while the canary is on): the drop-in opens those.
 */
function planConfig(req: InstallRequest, plan: Plan): string[] {
  const file = underRoot(req.root, CONFIG_FILE);
  if (present(file)) {
    const { config } = loadConfig({ configFlag: file });
    plan.unchanged.push(`config ${CONFIG_FILE} kept as it is`);
    const ignored = req.mounts.filter((m) => !config.agent.mounts.includes(m));
    if (ignored.length > 0) {
      plan.actions.push({
        kind: "note",
        text:
          `--mount ${ignored.join(",")} not used: the config exists; add ` +
          `it to agent.mounts in ${CONFIG_FILE} and run install again`,
      });
    }
    const canary = config.agent.mountProbe.canaryWriteEnabled;
    return canary ? [...config.agent.mounts] : [];
  }
  if (req.managerUrl === undefined) {
    throw new UsageError(
      `install: no ${CONFIG_FILE} yet, so --manager-url is needed ` +
        "(e.g. --manager-url http://manager:8080)",
    );
  }
  const content = renderNodeConfig({
    managerUrl: req.managerUrl,
    mounts: req.mounts,
  });
  plan.actions.push({ kind: "write", path: CONFIG_FILE, content, mode: 0o640 });
  plan.actions.push({
    kind: "run",
    argv: ["chown", `root:${SERVICE_USER}`, CONFIG_FILE],
  });
  return [...req.mounts];
}

/** Plans one file; returns whether it will change. */
function planFile(
  root: string,
  file: string,
  content: string,
  mode: number,
  plan: Plan,
): boolean {
  if (sameContent(underRoot(root, file), content)) {
    plan.unchanged.push(`${file} up to date`);
    return false;
  }
  plan.actions.push({ kind: "write", path: file, content, mode });
  return true;
}

function planDropIn(root: string, mounts: string[], plan: Plan): boolean {
  if (mounts.length > 0) {
    return planFile(
      root,
      MOUNTS_DROPIN,
      renderMountsDropIn(mounts),
      0o644,
      plan,
    );
  }
  if (present(underRoot(root, MOUNTS_DROPIN))) {
    plan.actions.push({ kind: "remove", path: MOUNTS_DROPIN });
    return true;
  }
  return false;
}

async function planEnable(
  role: Role,
  unitChanged: boolean,
  system: TargetSystem,
  plan: Plan,
): Promise<void> {
  const unit = unitName(role);
  if (await system.unitInstalledAndRunning(unit)) {
    if (unitChanged && system.live) {
      plan.actions.push({ kind: "run", argv: ["systemctl", "restart", unit] });
    } else {
      plan.unchanged.push(
        `${unit} enabled${system.live ? " and running" : ""}`,
      );
    }
    return;
  }
  if (system.live) {
    plan.actions.push({
      kind: "run",
      argv: ["systemctl", "enable", "--now", unit],
    });
    return;
  }
  // Under a root, enabling is the wants link `systemctl enable` would make.
  plan.actions.push({
    kind: "link",
    path: wantsLink(unit),
    target: `${UNIT_DIR}/${unit}`,
  });
}
