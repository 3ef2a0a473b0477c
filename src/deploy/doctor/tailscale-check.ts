import {
  problem,
  timeoutMs,
  type CheckResult,
  type DoctorInputs,
} from "./check.js";
import { failedToRun } from "./node-checks.js";

/** The parts of `tailscale status --json` doctor reads. */
interface TailscaleStatus {
  BackendState?: string;
  TailscaleIPs?: string[] | null;
  Self?: { KeyExpiry?: string } | null;
  Peer?: Record<string, { HostName?: string; Expired?: boolean }> | null;
}

/** A node key this close to expiry is reported: days of warning. */
const KEY_WARNING_DAYS = 7;

const TAILSCALE_FIX: Record<string, string> = {
  NeedsLogin: "log this node in again: `sudo tailscale up`",
  NeedsMachineAuth:
    "approve this machine in the Tailscale admin console (Machines)",
  Stopped: "Tailscale was turned off: `sudo tailscale up`",
  Starting:
    "wait a minute; if it stays so, `sudo systemctl restart tailscaled`",
  NoState: "`sudo systemctl restart tailscaled`, then `sudo tailscale up`",
};

/** `tailscale status --json`: the backend is Running with an address. */
export async function checkTailscale(
  inputs: DoctorInputs,
): Promise<CheckResult> {
  const cfg = inputs.config.agent.tailscale;
  const ms = timeoutMs(inputs, cfg.statusTimeoutSeconds);
  const result = await inputs.run([cfg.tailscalePath, "status", "--json"], {
    timeoutMs: ms,
    env: inputs.env,
  });
  const bad = failedToRun("tailscale", "tailscale status", result, ms / 1000);
  if (bad) return bad;
  let status: TailscaleStatus;
  try {
    status = JSON.parse(result.stdout) as typeof status;
  } catch {
    return problem(
      "tailscale",
      "tailscaled does not answer (tailscale status gave no status)",
      "start the daemon: `sudo systemctl enable --now tailscaled`",
    );
  }
  return verdict(inputs, status);
}

function verdict(inputs: DoctorInputs, status: TailscaleStatus): CheckResult {
  const cfg = inputs.config.agent.tailscale;
  const state = status.BackendState ?? "unknown";
  const ips = status.TailscaleIPs ?? [];
  if (state === "Running" && ips.length > 0) {
    const running = `Tailscale is Running as ${ips[0]!}`;
    const needed = [...cfg.managerPeers, ...cfg.nasPeers];
    return (
      keyProblem(running, status.Self?.KeyExpiry, inputs.now()) ??
      peerProblem(running, status, needed) ?? {
        name: "tailscale",
        status: "ok",
        summary: running,
      }
    );
  }
  return problem(
    "tailscale",
    `Tailscale is ${state}` +
      `${state === "Running" ? " without an address" : ""}, ` +
      "so the tailnet is unusable",
    TAILSCALE_FIX[state] ?? "`sudo tailscale up`; see `tailscale status`",
  );
}

function keyProblem(
  running: string,
  keyExpiry: string | undefined,
  now: Date,
): CheckResult | undefined {
  const expiry = keyExpiry === undefined ? NaN : Date.parse(keyExpiry);
  const daysLeft = (expiry - now.getTime()) / 86_400_000;
  if (!(daysLeft < KEY_WARNING_DAYS)) return undefined;
  const when = new Date(expiry).toISOString();
  return problem(
    "tailscale",
    daysLeft <= 0
      ? `${running}, but its node key expired at ${when}`
      : `${running}, but its node key expires at ${when}`,
    "log in again with `sudo tailscale up --force-reauth`, or turn off " +
      "key expiry for this machine in the Tailscale admin console",
  );
}

/** Expired keys of the peers the farm needs (Manager, file server). */
function peerProblem(
  running: string,
  status: TailscaleStatus,
  needed: readonly string[],
): CheckResult | undefined {
  const expired = Object.values(status.Peer ?? {})
    .filter((p) => p.Expired === true && needed.includes(p.HostName ?? ""))
    .map((p) => p.HostName!);
  if (expired.length === 0) return undefined;
  return problem(
    "tailscale",
    `${running}, but the key of ${expired.join(", ")} has expired: ` +
      "this node cannot reach it over the tailnet",
    `log ${expired.join(", ")} in again (\`sudo tailscale up ` +
      "--force-reauth` there) or turn off its key expiry",
  );
}
