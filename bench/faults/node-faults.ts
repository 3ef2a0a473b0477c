import { hungFuseMount, type FuseMount } from "../../test/support/fuse-hang.js";
import type { FaultCase } from "./case.js";
import type { FaultFarm } from "./farm.js";
import { isMounted, mountTmpfs, remount, run } from "./host.js";
import { existsSync } from "node:fs";
import path from "node:path";

function needsMounts(farm: FaultFarm): string | undefined {
  return farm.canMount ? undefined : "cannot mount tmpfs here (not root?)";
}

function needsFuse(farm: FaultFarm): string | undefined {
  if (!existsSync("/dev/fuse")) return "no /dev/fuse on this machine";
  return needsMounts(farm);
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`${what} failed`);
}

let fuse: FuseMount | undefined;

/**
 * Ends the hung FUSE mount stacked on the share: the holder dies (calls
 * fail instead of blocking), then the top mount goes, uncovering the tmpfs.
 * The helper's own `close` would also delete the share's directory.
 */
export function releaseFuse(): void {
  if (fuse === undefined) return;
  fuse.release();
  run("umount", ["-l", fuse.dir]);
  fuse = undefined;
}

/** What breaks on a render node: the share, the tunnel, the GPU. */
export const NODE_FAULTS: readonly FaultCase[] = [
  {
    name: "mount unmounted",
    skip: needsMounts,
    alerts: [{ alertname: "FarmwatchMountDown" }],
    inject: async (farm) => must(run("umount", [farm.layout.mount]), "umount"),
    heal: async (farm) => must(mountTmpfs(farm.layout.mount, "1m"), "mount"),
  },
  {
    name: "mount hung (FUSE, every call blocks)",
    skip: needsFuse,
    alerts: [{ alertname: "FarmwatchMountHung" }],
    inject: async (farm) => {
      fuse = await hungFuseMount(path.dirname(farm.layout.mount));
    },
    heal: async (farm) => {
      releaseFuse();
      must(isMounted(farm.layout.mount), "tmpfs uncovered");
    },
  },
  {
    name: "mount read-only",
    skip: needsMounts,
    alerts: [{ alertname: "FarmwatchMountReadOnly" }],
    inject: async (farm) => must(remount(farm.layout.mount, "ro"), "ro"),
    heal: async (farm) => must(remount(farm.layout.mount, "rw"), "rw"),
  },
  {
    name: "tailscale logged out (fake CLI)",
    alerts: [{ alertname: "FarmwatchTailscaleDown" }],
    inject: async (farm) => farm.fakes.setMode("tailscale", "logged-out"),
    heal: async (farm) => farm.fakes.setMode("tailscale", "ok"),
  },
  {
    name: "nvidia-smi hung (fake)",
    alerts: [{ alertname: "FarmwatchGpuQueryFailing" }],
    inject: async (farm) => farm.fakes.setMode("nvidia-smi", "hang"),
    heal: async (farm) => farm.fakes.setMode("nvidia-smi", "ok"),
  },
];
