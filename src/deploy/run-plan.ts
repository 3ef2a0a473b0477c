import { existsSync } from "node:fs";
import { UsageError } from "../cli/args.js";
import { ConfigError } from "../shared/errors.js";
import { applyAction, describeAction } from "./actions.js";
import { SYSTEMD_RUN_DIR, unitName } from "./paths.js";
import type { Plan } from "./plan.js";
import { liveSystem, rootSystem, type TargetSystem } from "./system.js";
import type { Host, Invocation, Output } from "./install.js";

/**
 * Checks the host, plans, then prints and (unless a dry run) carries out
 * each step. Returns the exit code: 0 done or nothing to do, 1 refused or
 * failed; a failed step stops the run and names itself.
 */
export async function execute(
  inv: Invocation,
  output: Output,
  host: Host,
  verb: "install" | "uninstall",
  makePlan: (system: TargetSystem, fsRoot: string) => Promise<Plan>,
): Promise<number> {
  const live = inv.root === "/";
  const fsRoot = live ? host.fsRoot : inv.root;
  const refusal = live ? refuse(inv, host, verb) : undefined;
  if (refusal !== undefined) {
    output.err(`farmwatch ${verb}: ${refusal}`);
    return 1;
  }

  let plan: Plan;
  try {
    const system = live ? liveSystem(host.run) : rootSystem(fsRoot);
    plan = await makePlan(system, fsRoot);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const what = err instanceof ConfigError ? "existing config: " : "";
    output.err(`farmwatch ${verb}: ${what}${(err as Error).message}`);
    return 1;
  }

  const units = inv.roles.map(unitName).join(", ");
  output.out(header(inv, verb, units));
  for (const text of plan.unchanged) output.out(`  ok       ${text}`);
  const done = await carryOut(inv, output, host, verb, plan);
  if (done === undefined) return 1;
  output.out(footer(inv, verb, units, plan, done));
  return 0;
}

/** Prints and applies each step; the count done, or undefined on failure. */
async function carryOut(
  inv: Invocation,
  output: Output,
  host: Host,
  verb: string,
  plan: Plan,
): Promise<number | undefined> {
  const live = inv.root === "/";
  const fsRoot = live ? host.fsRoot : inv.root;
  let done = 0;
  for (const action of plan.actions) {
    const line = describeAction(action);
    if (action.kind === "note") {
      output.out(`  note     ${line}`);
      continue;
    }
    if (inv.dryRun) {
      output.out(`  would    ${line}`);
      continue;
    }
    try {
      await applyAction(action, fsRoot, live, host.run);
    } catch (err) {
      output.out(`  FAILED   ${line}`);
      output.err(`farmwatch ${verb}: ${(err as Error).message}`);
      return undefined;
    }
    const skipped = action.kind === "run" && !live;
    output.out(`  ${skipped ? "skipped" : "done   "}  ${line}`);
    done++;
  }
  return done;
}

function refuse(inv: Invocation, host: Host, verb: string): string | undefined {
  if (!existsSync(host.systemdRunDir)) {
    return (
      `this machine does not run systemd (no ${SYSTEMD_RUN_DIR}), so there ` +
      `is nothing to ${verb} units into. Start \`farmwatch agent --config ` +
      "/etc/farmwatch/farmwatch.yaml\` (and exporter, alerts) from your " +
      "init system instead, or use --root DIR to prepare files for another " +
      "machine."
    );
  }
  if (!inv.dryRun && !host.isSuperuser) {
    return (
      `changing systemd units needs root: run \`sudo farmwatch ${verb} ` +
      "...` (or add --dry-run to see the steps)"
    );
  }
  return undefined;
}

function header(inv: Invocation, verb: string, units: string): string {
  const lines = [`${verb} ${units}`];
  if (inv.root !== "/") {
    lines[0] += ` under ${inv.root}`;
    lines.push(
      "  (a root directory: commands are listed for the target, not run)",
    );
  }
  if (inv.dryRun) lines.push("  (dry run: nothing is changed)");
  return lines.join("\n");
}

function footer(
  inv: Invocation,
  verb: string,
  units: string,
  plan: Plan,
  done: number,
): string {
  const changing = plan.actions.filter((a) => a.kind !== "note").length;
  if (changing === 0) {
    const state = verb === "install" ? "installed" : "removed";
    return `nothing to change: ${units} already ${state}`;
  }
  if (inv.dryRun) {
    return (
      `${changing} step(s) would change the system; ` +
      "run again without --dry-run to apply"
    );
  }
  if (verb === "install" && inv.root === "/") {
    const list = units.split(", ").join(" ");
    return (
      `${done} step(s) done. Check with \`systemctl status ${list}\` ` +
      "and `farmwatch doctor`"
    );
  }
  return `${done} step(s) done`;
}
