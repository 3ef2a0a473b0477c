import path from "node:path";
import type { FakeBin } from "../support/fakes/fake-bin.js";
import { FIXTURES } from "./helpers.js";

/** Agent config keys pointing every binary at answering fakes. */
export function answeringFakes(bin: FakeBin): Record<string, unknown> {
  const nv = path.join(FIXTURES, "nvidia-smi");
  const nvidiaSmiPath = bin.write(
    "nvidia-smi",
    `case "$1" in\n` +
      `  --query-gpu=pci.bus_id,uuid,name) cat '${nv}/inventory.csv';;\n` +
      `  *) cat '${nv}/c12-query.csv';;\n` +
      `esac`,
  );
  const unit = path.join(FIXTURES, "systemctl", "restart-loop.txt");
  const status = path.join(FIXTURES, "tailscale", "running-peers.json");
  return {
    gpu: { nvidiaSmiPath, nvidia: "on", queryTimeoutSeconds: 2 },
    tailscale: {
      tailscalePath: bin.printing("tailscale", status),
      managerPeers: ["manager"],
      nasPeers: ["nas01"],
    },
    workerUnit: { systemctlPath: bin.printing("systemctl", unit) },
    versions: {
      blenderPath: bin.write("blender", 'echo "Blender 4.2.3 LTS"'),
      workerPath: bin.write("flamenco-worker", 'echo "Flamenco 3.5"'),
    },
    mounts: ["/mnt/cache"],
    mountProbe: {
      fstabPath: path.join(FIXTURES, "etc", "fstab"),
      markerFileName: ".farmwatch-share",
    },
  };
}

/** Agent config keys pointing every binary at fakes that never answer. */
export function hangingFakes(bin: FakeBin): Record<string, unknown> {
  return {
    gpu: {
      nvidiaSmiPath: bin.hanging("nvidia-smi"),
      nvidia: "on",
      queryTimeoutSeconds: 0.5,
    },
    tailscale: {
      tailscalePath: bin.hanging("tailscale"),
      statusTimeoutSeconds: 0.5,
    },
    workerUnit: {
      systemctlPath: bin.hanging("systemctl"),
      systemctlTimeoutSeconds: 0.5,
    },
    versions: { blenderPath: bin.hanging("blender"), timeoutSeconds: 0.5 },
  };
}
