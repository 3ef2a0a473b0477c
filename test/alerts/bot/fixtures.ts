import type {
  AlertInstance,
  AlertsApi,
  Silence,
} from "../../../src/alerts/api.js";
import type {
  FarmJobView,
  FarmView,
  FarmWorkerView,
  NodeSnapshot,
} from "../../../src/shared/views.js";

export const NOW = new Date("2026-12-04T16:00:00Z");
/** A job name with every character HTML and Markdown care about. */
export const TRICKY_JOB = "shot_<040> & fx_🔥";
export const TRICKY_WORKER = "render_<01>&🐧";

export function job(over: Partial<FarmJobView> = {}): FarmJobView {
  return {
    id: "aaaaaaaa-1111-4111-8111-000000000001",
    name: "shot_010",
    type: "simple-blender-render",
    status: "active",
    priority: 50,
    created: "2026-12-04T15:00:00Z",
    updated: "2026-12-04T15:59:00Z",
    stateAgeSeconds: 600,
    unfinished: true,
    tasksByStatus: { completed: 9, active: 1, queued: 10 },
    progressRatio: 0.45,
    framesDone: 90,
    framesTotal: 200,
    etaSeconds: 4800,
    ...over,
  };
}

export function worker(over: Partial<FarmWorkerView> = {}): FarmWorkerView {
  return {
    id: "wwwwwwww-0000-4000-8000-000000000001",
    name: "render-01",
    status: "awake",
    lastSeenAgeSeconds: 3,
    tasksCompleted: 10,
    tasksFailed: 0,
    ...over,
  };
}

export function farm(over: Partial<FarmView> = {}): FarmView {
  return {
    time: NOW.toISOString(),
    managerUrl: "http://127.0.0.1:1",
    up: true,
    stale: false,
    manager: { name: "Flamenco", version: "3.6" },
    farmStatus: "active",
    workers: [worker(), worker({ id: "w2", name: "render-02" })],
    jobs: [job()],
    failedTasks: [],
    problems: {
      stalledTasks: [],
      stuckJobs: [],
      unservableJobs: [],
      pathMappingSuspects: [],
    },
    agents: [],
    ...over,
  };
}

/** A farm in trouble: a worker in error, a failed job with tricky names. */
export function troubledFarm(): FarmView {
  const failedJob = job({
    id: "bbbbbbbb-2222-4222-8222-000000000002",
    name: TRICKY_JOB,
    status: "failed",
    unfinished: true,
    tasksByStatus: { completed: 8, failed: 2 },
    progressRatio: 0.8,
    framesDone: 160,
    etaSeconds: undefined,
  });
  return farm({
    workers: [
      worker({ name: TRICKY_WORKER, status: "error" }),
      worker({ id: "w2", name: "render-02", status: "offline" }),
    ],
    jobs: [job(), failedJob],
    failedTasks: [
      {
        jobId: failedJob.id,
        jobName: failedJob.name,
        taskId: "t1",
        taskName: "render-0401-0410",
        frames: "401-410",
        status: "failed",
        worker: TRICKY_WORKER,
        failedAt: NOW.toISOString(),
        logTail: [],
      },
    ],
  });
}

export function node(name: string, over: Partial<NodeSnapshot> = {}) {
  return {
    node: name,
    agentVersion: "0.1.0",
    time: NOW.toISOString(),
    collectors: {},
    mounts: [{ mountpoint: "/mnt/render", state: "ok", up: true, hung: false }],
    gpus: [],
    ...over,
  } as NodeSnapshot;
}

/** An in-memory alerts part. */
export class FakeAlerts implements AlertsApi {
  alerts: AlertInstance[] = [];
  list: Silence[] = [];
  private next = 1;

  active(): AlertInstance[] {
    return this.alerts;
  }
  silences(): Silence[] {
    return this.list;
  }
  async silence(input: Omit<Silence, "id" | "startsAt">): Promise<Silence> {
    const s = { ...input, id: `s${this.next++}`, startsAt: NOW.toISOString() };
    this.list.push(s);
    return s;
  }
  async unsilence(id: string): Promise<boolean> {
    const before = this.list.length;
    this.list = this.list.filter((s) => s.id !== id);
    return this.list.length < before;
  }
}

export function alert(over: Partial<AlertInstance> = {}): AlertInstance {
  return {
    name: "FlamencoWorkerStalled",
    severity: "critical",
    labels: { worker: "render-02" },
    state: "firing",
    activeSince: "2026-12-04T15:40:00Z",
    firedAt: "2026-12-04T15:45:00Z",
    summary: "A worker stopped taking work.",
    description: "",
    ...over,
  };
}
