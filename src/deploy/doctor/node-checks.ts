import type { CommandResult } from "../system.js";
import {
  problem,
  timeoutMs,
  type CheckResult,
  type DoctorInputs,
  type Findings,
} from "./check.js";
import { blenderVersionIn } from "./manager-checks.js";

/**
 * The problem when a program did not run to an answer: timed out or not
 * installed; undefined when it ran (whatever its exit code).
 */
export function failedToRun(
  name: string,
  what: string,
  result: CommandResult,
  seconds: number,
): CheckResult | undefined {
  if (result.timedOut) {
    return problem(
      name,
      `\`${what}\` did not answer within ${seconds} s`,
      name === "tailscale"
        ? "tailscaled is stuck: `sudo systemctl restart tailscaled`"
        : "the node is overloaded or stuck; see `journalctl -b -p warning`",
    );
  }
  if (result.spawnError === "ENOENT") {
    return problem(
      name,
      `\`${what.split(" ")[0]}\` is not installed (not found in PATH)`,
      name === "tailscale"
        ? "install Tailscale (https://tailscale.com/download/linux) and " +
            "run `sudo tailscale up`"
        : `install it, or set its path in the config`,
    );
  }
  return undefined;
}

/** `systemctl show` of the Flamenco Worker unit: loaded and running. */
export async function checkWorkerUnit(
  inputs: DoctorInputs,
  found: Findings,
): Promise<CheckResult> {
  const cfg = inputs.config.agent.workerUnit;
  const unit = cfg.unitName;
  const argv = [
    cfg.systemctlPath,
    "show",
    unit,
    "--property=LoadState,ActiveState,SubState,Result,User",
  ];
  const ms = timeoutMs(inputs, cfg.systemctlTimeoutSeconds);
  const result = await inputs.run(argv, { timeoutMs: ms, env: inputs.env });
  const bad = failedToRun(
    "worker",
    `systemctl show ${unit}`,
    result,
    ms / 1000,
  );
  if (bad) return bad;
  const props = Object.fromEntries(
    result.stdout
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  if (result.code !== 0 || props["LoadState"] === undefined) {
    return problem(
      "worker",
      `cannot ask systemd about ${unit}: ` +
        (result.stderr.trim() || `exit ${String(result.code)}`),
      "run doctor on a node booted with systemd",
    );
  }
  if (props["User"]) found.workerUser = props["User"];
  return workerVerdict(unit, props);
}

function workerVerdict(
  unit: string,
  props: Record<string, string | undefined>,
): CheckResult {
  const state = `${props["ActiveState"]}/${props["SubState"]}`;
  if (props["LoadState"] === "not-found") {
    return problem(
      "worker",
      `${unit} does not exist on this node`,
      "install Flamenco Worker as a systemd service named " +
        `${unit} (or set agent.workerUnit.unitName); on a node that does ` +
        "not render, run `farmwatch doctor --skip worker,blender`",
    );
  }
  if (props["ActiveState"] === "active" && props["SubState"] === "running") {
    return { name: "worker", status: "ok", summary: `${unit} is running` };
  }
  if (props["ActiveState"] === "failed") {
    return problem(
      "worker",
      `${unit} has failed (${props["Result"] ?? "unknown reason"})`,
      `read why: \`journalctl -u ${unit} -n 50\`; then ` +
        `\`sudo systemctl restart ${unit}\``,
    );
  }
  if (props["ActiveState"] === "activating") {
    return problem(
      "worker",
      `${unit} is starting (${state}), perhaps restarting in a loop`,
      `watch \`journalctl -u ${unit} -f\` for the error it keeps hitting`,
    );
  }
  return problem(
    "worker",
    `${unit} is not running (${state})`,
    `start it and keep it on at boot: \`sudo systemctl enable --now ${unit}\``,
  );
}

/** `blender --version` here against the farm's version. */
export async function checkBlender(
  inputs: DoctorInputs,
  found: Findings,
): Promise<CheckResult> {
  const cfg = inputs.config.agent.versions;
  const ms = timeoutMs(inputs, cfg.timeoutSeconds);
  const result = await inputs.run([cfg.blenderPath, "--version"], {
    timeoutMs: ms,
    env: inputs.env,
  });
  const bad = failedToRun("blender", "blender --version", result, ms / 1000);
  if (bad) return bad;
  const local = blenderVersionIn(result.stdout);
  if (result.code !== 0 || local === undefined) {
    return problem(
      "blender",
      `\`${cfg.blenderPath} --version\` does not run ` +
        `(exit ${String(result.code)})`,
      "reinstall Blender; run `blender --version` by hand to see the error",
    );
  }
  return compareBlender(local, found.farmBlender);
}

function compareBlender(
  local: string,
  farm: Findings["farmBlender"],
): CheckResult {
  if (farm === undefined) {
    return {
      name: "blender",
      status: "skipped",
      summary: `Blender ${local} here; the farm's version is unknown`,
      fix: "pass --blender-version X.Y.Z to compare",
    };
  }
  if (farm.version !== local) {
    return problem(
      "blender",
      `Blender ${local} here, but ${farm.source} says the farm ` +
        `uses ${farm.version}`,
      `install Blender ${farm.version} here, the same build as on the ` +
        "other nodes, so frames render alike",
    );
  }
  return {
    name: "blender",
    status: "ok",
    summary: `Blender ${local}, as the farm`,
  };
}
