/**
 * The JSON views the parts exchange over HTTP. The agent serves
 * {@link NodeSnapshot} at `GET /api/v1/node`; the exporter serves
 * {@link FarmView} at `GET /api/v1/farm` and {@link HttpSdGroup}s at
 * `GET /api/v1/sd/agents`; the alerts part reads both. Fields are only ever
 * added: a reader must ignore what it does not know. Times are ISO 8601
 * strings in UTC, durations seconds, sizes bytes, ratios 0 to 1.
 */

/** How one collector or data source did on its last run. */
export interface SourceStatus {
  ok: boolean;
  /** Short stable reason when not ok, e.g. `timeout`, `missing_binary`. */
  reason?: string;
  /** Human-readable detail of the failure. */
  error?: string;
  /** When it last succeeded. */
  lastSuccess?: string;
  durationSeconds?: number;
}

/** State of one watched mount. */
export type MountState =
  | "ok"
  | "missing"
  | "automount_pending"
  | "hung"
  | "stale"
  | "readonly"
  | "permission"
  | "wrong_share"
  | "error";

export interface MountView {
  mountpoint: string;
  state: MountState;
  /** Mounted and answering its probe. */
  up: boolean;
  /** The last probe timed out. */
  hung: boolean;
  fstype?: string;
  /** `server:/export/path`. */
  source?: string;
  readOnly?: boolean;
  /** `hard`, `soft` or undefined for non-NFS. */
  hardness?: string;
  nfsVersion?: string;
  /** Only set where a write probe is configured. */
  writable?: boolean;
  freeBytes?: number;
  totalBytes?: number;
  probeDurationSeconds?: number;
  /** Content of the share's marker file, when configured and read. */
  shareId?: string;
  /** Why it is not ok, in words. */
  reason?: string;
  /** In the mount table (a pending automount is not). */
  present?: boolean;
  /** Mount and superblock options as the kernel shows them. */
  options?: string[];
  /** Canary write, read and remove, when configured. */
  canaryDurationSeconds?: number;
  /** The server address (`addr=`) is a Tailscale address. */
  tailnetServer?: boolean;
  /** NFS client counters from mountstats, since mount. */
  nfs?: {
    operations: number;
    retransmissions: number;
    majorTimeouts: number;
    readBytes: number;
    writeBytes: number;
  };
}

export interface GpuView {
  /** UUID or PCI bus id: stable across reboots, unlike the index. */
  id: string;
  busId?: string;
  name: string;
  vendor: "nvidia" | "amd";
  utilizationRatio?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  temperatureCelsius?: number;
  powerWatts?: number;
  powerLimitWatts?: number;
  fanRatio?: number;
  throttleReasons?: string[];
  uuid?: string;
  driverVersion?: string;
  memoryUtilizationRatio?: number;
  memoryTemperatureCelsius?: number;
  clockSmHertz?: number;
  clockMemoryHertz?: number;
}

export interface TailscalePeerView {
  hostName: string;
  addresses: string[];
  online: boolean;
  /** A direct path; false when only a DERP relay carries traffic. */
  direct: boolean;
  relay?: string;
  lastHandshake?: string;
  expired: boolean;
  /** Why this peer matters: `manager`, `nas` or `node`. */
  role?: string;
}

export interface TailscaleView {
  /** Backend state (`Running`, `NeedsLogin`, ...) or `daemon_unreachable`. */
  state: string;
  /** Running with an address. */
  up: boolean;
  mode: "tun" | "userspace" | "unknown";
  interface?: {
    name: string;
    present: boolean;
    /** From the UP and RUNNING flags, not operstate. */
    up: boolean;
    addresses: string[];
  };
  selfKeyExpiry?: string;
  health: string[];
  peers: TailscalePeerView[];
  /** Daemon version. */
  version?: string;
  /** Why the state is what it is, e.g. the CLI's error. */
  reason?: string;
  /** Network mounts to tailnet addresses the kernel cannot route
   * (userspace mode). */
  unroutableMounts?: string[];
}

export interface WorkerUnitView {
  unit: string;
  /** `active`, `failed`, ... or `no_systemd` / `not_found`. */
  activeState: string;
  subState?: string;
  restarts?: number;
  lastExitStatus?: number;
  blenderVersion?: string;
  blenderPath?: string;
  workerVersion?: string;
  /** The flamenco-worker binary (from the unit's ExecStart). */
  workerPath?: string;
  /** systemd LoadState: `loaded`, `not-found`, ... */
  loadState?: string;
}

/** One node as its agent sees it: `GET /api/v1/node`. */
export interface NodeSnapshot {
  node: string;
  agentVersion: string;
  time: string;
  collectors: Record<string, SourceStatus>;
  host?: {
    cpuUtilizationRatio?: number;
    load1?: number;
    load5?: number;
    load15?: number;
    cpuCount?: number;
    memoryAvailableBytes?: number;
    memoryTotalBytes?: number;
    cpuTemperatureCelsius?: number;
    uptimeSeconds?: number;
  };
  mounts: MountView[];
  gpus: GpuView[];
  tailscale?: TailscaleView;
  worker?: WorkerUnitView;
}

export interface FarmWorkerView {
  id: string;
  name: string;
  status: string;
  statusChange?: { status: string; isLazy: boolean };
  lastSeen?: string;
  /** Against the Manager's own clock (its Date header). */
  lastSeenAgeSeconds?: number;
  version?: string;
  platform?: string;
  address?: string;
  currentTask?: { id: string; name: string; jobId: string; jobName: string };
  tasksCompleted: number;
  tasksFailed: number;
}

export interface FarmJobView {
  id: string;
  name: string;
  type: string;
  status: string;
  priority: number;
  created: string;
  updated: string;
  /** Seconds since the job last changed status. */
  stateAgeSeconds: number;
  unfinished: boolean;
  tasksByStatus: Record<string, number>;
  progressRatio: number;
  framesDone?: number;
  framesTotal?: number;
  etaSeconds?: number;
}

export interface FailedTaskView {
  jobId: string;
  jobName: string;
  taskId: string;
  taskName: string;
  /** e.g. `11-20`, when the task's name or commands tell. */
  frames?: string;
  status: "failed" | "soft-failed";
  worker?: string;
  workerId?: string;
  platform?: string;
  failedAt: string;
  logTail: string[];
}

export interface StalledTaskView {
  jobId: string;
  jobName: string;
  taskId: string;
  taskName: string;
  worker?: string;
  workerId?: string;
  activeSeconds: number;
  noProgressSeconds: number;
  medianTaskSeconds?: number;
}

/** The farm as the Manager tells it: `GET /api/v1/farm`. */
export interface FarmView {
  time: string;
  managerUrl: string;
  /** The last poll succeeded. */
  up: boolean;
  /** Data older than the last poll attempt (Manager away). */
  stale: boolean;
  /**
   * The Manager answers, but only "503 busy": it is up (`flamenco_up` 1),
   * and becomes a problem only if that lasts.
   */
  busy?: boolean;
  lastSuccessfulPoll?: string;
  ageSeconds?: number;
  lastError?: { code: string; message: string };
  manager?: { name: string; version: string };
  farmStatus?: string;
  workers: FarmWorkerView[];
  jobs: FarmJobView[];
  failedTasks: FailedTaskView[];
  problems: {
    stalledTasks: StalledTaskView[];
    stuckJobs: {
      jobId: string;
      jobName: string;
      status: string;
      sinceSeconds: number;
    }[];
    unservableJobs: { jobId: string; jobName: string; reason: string }[];
    pathMappingSuspects: {
      jobId: string;
      jobName: string;
      platform: string;
      workers: string[];
    }[];
    /** Workers that all vanished at once (the Manager lost its database). */
    workersVanished?: { before: number; after: number; names: string[] };
  };
  /** Agents derived from the workers' addresses plus configured ones. */
  agents: { node: string; url: string }[];
}

/** One Prometheus http_sd target group. */
export interface HttpSdGroup {
  targets: string[];
  labels: Record<string, string>;
}
