import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema, type Config } from "../../src/shared/config/schema.js";
import { createLogger, type Logger } from "../../src/shared/logger.js";
import type {
  FarmJobView,
  FarmView,
  FarmWorkerView,
  MountView,
  NodeSnapshot,
} from "../../src/shared/views.js";
import type { Views } from "../../src/alerts/fetch-views.js";
import type { NodeInput, RuleInput } from "../../src/alerts/rules/types.js";

/** The replay clock of the field cases. */
export const NOW = Date.parse("2025-06-02T12:00:00Z");

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public ms = NOW) {}
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** A logger that writes nothing. */
export function quietLogger(): Logger {
  return createLogger({ level: "silent" });
}

/** Config from a partial file, validated by the real schema. */
export function makeConfig(input: Record<string, unknown> = {}): Config {
  return ConfigSchema.parse(input);
}

/** A temporary directory removed by the returned function. */
export async function tempDir(): Promise<{
  dir: string;
  cleanup(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "fw-alerts-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function worker(p: Partial<FarmWorkerView> = {}): FarmWorkerView {
  return {
    id: `w-${p.name ?? "render-01"}`,
    name: "render-01",
    status: "awake",
    lastSeenAgeSeconds: 5,
    version: "3.7",
    platform: "linux",
    tasksCompleted: 0,
    tasksFailed: 0,
    ...p,
  };
}

export function job(p: Partial<FarmJobView> = {}): FarmJobView {
  return {
    id: "5a7e9c00-1111-4c2b-8d3e-000000000042",
    name: "shot_010",
    type: "simple-blender-render",
    status: "active",
    priority: 50,
    created: "2025-06-02T08:00:00Z",
    updated: "2025-06-02T11:00:00Z",
    stateAgeSeconds: 60,
    unfinished: true,
    tasksByStatus: { active: 1, queued: 0, completed: 3 },
    progressRatio: 0.5,
    ...p,
  };
}

export function farm(p: Partial<FarmView> = {}): FarmView {
  return {
    time: new Date(NOW).toISOString(),
    managerUrl: "http://127.0.0.1:8080",
    up: true,
    stale: false,
    farmStatus: "active",
    workers: [worker()],
    jobs: [job()],
    failedTasks: [],
    agents: [],
    ...p,
    problems: {
      stalledTasks: [],
      stuckJobs: [],
      unservableJobs: [],
      pathMappingSuspects: [],
      ...p.problems,
    },
  };
}

export function mount(p: Partial<MountView> = {}): MountView {
  return {
    mountpoint: "/mnt/render",
    state: "ok",
    up: true,
    hung: false,
    source: "nas01:/render",
    freeBytes: 500e9,
    totalBytes: 1000e9,
    ...p,
  };
}

export function node(p: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    node: "render-01",
    agentVersion: "0.1.0",
    time: new Date(NOW).toISOString(),
    collectors: { gpu: { ok: true } },
    host: {
      cpuUtilizationRatio: 0.9,
      memoryAvailableBytes: 16e9,
      memoryTotalBytes: 64e9,
    },
    mounts: [mount()],
    gpus: [
      {
        id: "GPU-1",
        name: "RTX 4090",
        vendor: "nvidia",
        utilizationRatio: 0.95,
        temperatureCelsius: 70,
      },
    ],
    tailscale: {
      state: "Running",
      up: true,
      mode: "tun",
      health: [],
      peers: [],
    },
    worker: { unit: "flamenco-worker.service", activeState: "active" },
    ...p,
  };
}

/** Node inputs keyed by name; a string is a failed fetch's error. */
export function nodes(
  ...list: (NodeSnapshot | [string, string])[]
): Map<string, NodeInput> {
  const out = new Map<string, NodeInput>();
  for (const n of list) {
    if (Array.isArray(n)) {
      out.set(n[0], {
        node: n[0],
        url: `http://127.0.0.1:9/${n[0]}`,
        error: n[1],
      });
    } else {
      out.set(n.node, { node: n.node, url: "http://127.0.0.1:9", snapshot: n });
    }
  }
  return out;
}

/** A rule input with defaults; nothing active, empty memory. */
export function ruleInput(p: Partial<RuleInput> = {}): RuleInput {
  return {
    nowMs: NOW,
    farm: farm(),
    nodes: nodes(node()),
    rules: makeConfig().alerts.rules,
    isActive: () => false,
    memory: {},
    failingChannels: [],
    ...p,
  };
}

/** Views as a fetch round would give them. */
export function views(
  f: FarmView | undefined,
  n: Map<string, NodeInput> = nodes(node()),
): Views {
  const agents: Record<string, string> = {};
  for (const x of n.values()) agents[x.node] = x.url;
  return {
    farm: f,
    farmError: f === undefined ? "GET farm: ECONNREFUSED" : undefined,
    nodes: n,
    agents,
  };
}
