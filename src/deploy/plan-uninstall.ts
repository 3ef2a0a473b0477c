import { present } from "./actions.js";
import {
  CONFIG_FILE,
  MOUNTS_DROPIN,
  SERVICE_USER,
  STATE_DIR,
  UNIT_DIR,
  underRoot,
  unitName,
  type Role,
} from "./paths.js";
import { SYSUSERS_FILE, type Plan } from "./plan.js";
import { wantsLink, type TargetSystem } from "./system.js";

/** What `farmwatch uninstall` was asked to do. */
export interface UninstallRequest {
  roles: readonly Role[];
  root: string;
  /** Also remove config, alert state and the user, once no unit is left. */
  purge: boolean;
}

/**
 * Stops, disables and removes the units of the given roles; the config
 * stays unless `purge` and no farmwatch unit remains.
 */
export async function planUninstall(
  req: UninstallRequest,
  system: TargetSystem,
  allRoles: readonly Role[],
): Promise<Plan> {
  const plan: Plan = { actions: [], unchanged: [] };
  let removedAny = false;
  for (const role of req.roles) {
    const unit = unitName(role);
    let removed = false;
    if (await system.unitEnabledOrRunning(unit)) {
      plan.actions.push(
        system.live
          ? { kind: "run", argv: ["systemctl", "disable", "--now", unit] }
          : { kind: "remove", path: wantsLink(unit) },
      );
    }
    // Only our own drop-in: others in the .d directory are the admin's.
    const files = [`${UNIT_DIR}/${unit}`];
    if (role === "agent") files.push(MOUNTS_DROPIN);
    for (const file of files) {
      if (present(underRoot(req.root, file))) {
        plan.actions.push({ kind: "remove", path: file });
        removed = true;
      }
    }
    if (!removed) plan.unchanged.push(`${unit} not installed`);
    removedAny ||= removed;
  }
  if (removedAny) {
    plan.actions.push({ kind: "run", argv: ["systemctl", "daemon-reload"] });
  }
  await planPurge(req, system, allRoles, plan);
  return plan;
}

async function planPurge(
  req: UninstallRequest,
  system: TargetSystem,
  allRoles: readonly Role[],
  plan: Plan,
): Promise<void> {
  const remaining = allRoles.filter(
    (r) =>
      !req.roles.includes(r) &&
      present(underRoot(req.root, `${UNIT_DIR}/${unitName(r)}`)),
  );
  const config = present(underRoot(req.root, CONFIG_FILE));
  if (!req.purge) {
    if (config) {
      plan.unchanged.push(`config ${CONFIG_FILE} kept (--purge removes it)`);
    }
    return;
  }
  if (remaining.length > 0) {
    plan.actions.push({
      kind: "note",
      text:
        `kept ${CONFIG_FILE}, ${STATE_DIR} and user ${SERVICE_USER}: ` +
        `still used by ${remaining.map(unitName).join(", ")}`,
    });
    return;
  }
  for (const dir of ["/etc/farmwatch", STATE_DIR, SYSUSERS_FILE]) {
    if (present(underRoot(req.root, dir))) {
      plan.actions.push({ kind: "remove", path: dir });
    }
  }
  if ((await system.userId(SERVICE_USER)) !== undefined) {
    plan.actions.push({ kind: "run", argv: ["userdel", SERVICE_USER] });
  }
}
