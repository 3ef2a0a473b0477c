import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Fake `nvidia-smi`, `tailscale` and `systemctl` for the agent, as shell
 * scripts in `dir`. Each reads its mode from `<dir>/<name>.mode` on every
 * call, so a fault switches it without restarting the agent.
 */
export interface FakeTools {
  dir: string;
  nvidiaSmi: string;
  tailscale: string;
  systemctl: string;
  /** Sets the mode of one fake: `ok`, `hang`, `logged-out`. */
  setMode(tool: "nvidia-smi" | "tailscale" | "systemctl", mode: string): void;
}

const NVIDIA_INVENTORY =
  "00000000:01:00.0, GPU-00000000-fa17-0000-0000-000000000001, NVIDIA T4";
const NVIDIA_QUERY =
  "550.127.05, 0x1EB810DE, NVIDIA T4, 00000000:01:00.0, 30, 15360, 512, " +
  "14848, 0, 0, 40, [N/A], 20.00, 70.00, 300, 405, 0x0000000000000001";

const TAILSCALE_RUNNING = JSON.stringify({
  Version: "1.80.2",
  TUN: true,
  BackendState: "Running",
  TailscaleIPs: ["100.64.0.13"],
  Self: {
    HostName: "fault-node",
    Online: true,
    TailscaleIPs: ["100.64.0.13"],
    KeyExpiry: "2030-01-01T00:00:00Z",
  },
  Health: [],
  Peer: {},
});

const TAILSCALE_LOGGED_OUT = JSON.stringify({
  Version: "1.80.2",
  TUN: true,
  BackendState: "NeedsLogin",
  TailscaleIPs: null,
  Self: { HostName: "fault-node", Online: false, TailscaleIPs: null },
  Health: ["logged out: re-authentication required"],
  Peer: null,
});

const SYSTEMCTL_ACTIVE = [
  "LoadState=loaded",
  "ActiveState=active",
  "SubState=running",
  "NRestarts=0",
  "ExecMainStatus=0",
].join("\n");

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  const text = [
    "#!/bin/sh",
    `mode=$(cat "${dir}/${name}.mode" 2>/dev/null || echo ok)`,
    // `exec sleep` keeps one process to kill, as a hung driver call would.
    'if [ "$mode" = hang ]; then exec sleep 300; fi',
    body,
    "",
  ].join("\n");
  writeFileSync(file, text, { mode: 0o755 });
  chmodSync(file, 0o755);
  writeFileSync(`${file}.mode`, "ok\n");
  return file;
}

/** Writes the fakes into `dir` (which must exist), every mode `ok`. */
export function writeFakeTools(dir: string): FakeTools {
  const nvidiaSmi = script(
    dir,
    "nvidia-smi",
    [
      'case "$*" in',
      `  *uuid*) echo '${NVIDIA_INVENTORY}' ;;`,
      `  *) echo '${NVIDIA_QUERY}' ;;`,
      "esac",
    ].join("\n"),
  );
  const tailscale = script(
    dir,
    "tailscale",
    [
      'if [ "$mode" = logged-out ]; then',
      `  echo '${TAILSCALE_LOGGED_OUT}'`,
      "else",
      `  echo '${TAILSCALE_RUNNING}'`,
      "fi",
    ].join("\n"),
  );
  const systemctl = script(
    dir,
    "systemctl",
    `cat <<'END'\n${SYSTEMCTL_ACTIVE}\nEND`,
  );
  return {
    dir,
    nvidiaSmi,
    tailscale,
    systemctl,
    setMode(tool, mode) {
      writeFileSync(path.join(dir, `${tool}.mode`), `${mode}\n`);
    },
  };
}
