import { z } from "zod";
import { listenSchema, seconds } from "./common.js";

function interval(what: string) {
  return z
    .number()
    .positive()
    .optional()
    .describe(`How often ${what} runs; default agent.intervalSeconds.`);
}

function binary(defaultPath: string, what: string) {
  return z
    .string()
    .min(1)
    .default(defaultPath)
    .describe(`Path of ${what}, or a name looked up in PATH.`);
}

const MountProbeSchema = z
  .strictObject({
    intervalSeconds: interval("the mount collector"),
    watchNetworkMounts: z
      .boolean()
      .default(true)
      .describe(
        "Also watch every nfs, nfs4, cifs and smb3 mount in the mount " +
          "table and in fstab.",
      ),
    probeTimeoutSeconds: seconds(
      5,
      "A mount probe running longer than this reports the mount as hung.",
    ),
    canaryWriteEnabled: z
      .boolean()
      .default(false)
      .describe(
        "Write, read and remove a small per-host canary file on each " +
          "mount to prove it is writable.",
      ),
    canaryDirName: z
      .string()
      .min(1)
      .default(".farmwatch")
      .describe("Directory on the share holding the per-host canary files."),
    markerFileName: z
      .string()
      .min(1)
      .optional()
      .describe(
        "File at the root of the share whose first line names the share; " +
          "exported as the share label.",
      ),
    expectedShares: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        "Marker content each mount point must show, e.g. " +
          "{/mnt/render: render-share}; a mismatch is wrong_share.",
      ),
    fstabPath: z
      .string()
      .default("/etc/fstab")
      .describe("Where fstab is read from (a fixture in tests)."),
  })
  .prefault({})
  .describe("Mount health of the shared directory.");

const GpuSchema = z
  .strictObject({
    intervalSeconds: interval("the GPU collector"),
    nvidia: z
      .enum(["auto", "on", "off"])
      .default("auto")
      .describe(
        "auto: query NVIDIA GPUs if nvidia-smi is found at start; on: a " +
          "missing nvidia-smi is a failure; off: never query.",
      ),
    nvidiaSmiPath: binary("nvidia-smi", "nvidia-smi"),
    queryTimeoutSeconds: seconds(10, "nvidia-smi is killed after this."),
  })
  .prefault({})
  .describe("GPUs: NVIDIA through nvidia-smi, AMD through sysfs.");

const TailscaleSchema = z
  .strictObject({
    intervalSeconds: interval("the Tailscale collector"),
    tailscalePath: binary("tailscale", "the tailscale CLI"),
    statusTimeoutSeconds: seconds(5, "tailscale status is killed after this."),
    managerPeers: z
      .array(z.string().min(1))
      .default([])
      .describe("Host names of the Flamenco Manager in the tailnet."),
    nasPeers: z
      .array(z.string().min(1))
      .default([])
      .describe("Host names of the NAS serving the shared directory."),
  })
  .prefault({})
  .describe("Tailscale: the daemon's real state and the peers that matter.");

const WorkerUnitSchema = z
  .strictObject({
    intervalSeconds: interval("the worker unit collector"),
    unitName: z
      .string()
      .min(1)
      .default("flamenco-worker.service")
      .describe("systemd unit of the Flamenco Worker."),
    systemctlPath: binary("systemctl", "systemctl"),
    systemctlTimeoutSeconds: seconds(5, "systemctl is killed after this."),
  })
  .prefault({})
  .describe("The Flamenco Worker's systemd unit on this node.");

const VersionsSchema = z
  .strictObject({
    intervalSeconds: seconds(3600, "How often versions are read again."),
    blenderPath: binary("blender", "the Blender the worker uses"),
    workerPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Path of flamenco-worker; default the unit's ExecStart binary.",
      ),
    timeoutSeconds: seconds(10, "A version query is killed after this."),
  })
  .prefault({})
  .describe("Blender and Flamenco Worker versions, read rarely, cached.");

export const AgentSchema = z
  .strictObject({
    listen: listenSchema("0.0.0.0", 9790),
    nodeName: z
      .string()
      .min(1)
      .optional()
      .describe("Name of this node; default the host name."),
    intervalSeconds: seconds(15, "How often each collector runs."),
    hostIntervalSeconds: interval("the host collector (CPU, memory)"),
    mounts: z
      .array(z.string().startsWith("/"))
      .default([])
      .describe("Mount points to watch, e.g. /mnt/render."),
    tailscaleInterface: z
      .string()
      .min(1)
      .default("tailscale0")
      .describe(
        "Name of the Tailscale TUN interface, used when the interface " +
          "carrying the Tailscale addresses cannot be found.",
      ),
    procPath: z
      .string()
      .default("/proc")
      .describe("Where procfs is read from (a fixture in tests)."),
    sysPath: z
      .string()
      .default("/sys")
      .describe("Where sysfs is read from (a fixture in tests)."),
    mountProbe: MountProbeSchema,
    gpu: GpuSchema,
    tailscale: TailscaleSchema,
    workerUnit: WorkerUnitSchema,
    versions: VersionsSchema,
  })
  .prefault({})
  .describe("The node agent (`farmwatch agent`), on every node.");
