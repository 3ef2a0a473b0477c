import type { FarmWorkerView } from "../../shared/views.js";
import type { Candidate, RuleInput } from "./types.js";

function queuedTasks(input: RuleInput): number {
  let n = 0;
  for (const j of input.farm?.jobs ?? []) n += j.tasksByStatus["queued"] ?? 0;
  return n;
}

const OFFLINE_SINCE = "workerStalled.offlineSince";

function reasonFor(
  w: FarmWorkerView,
  input: RuleInput,
  offlineSince: Record<string, number>,
): string | undefined {
  const t = input.rules.FlamencoWorkerStalled;
  const age = w.lastSeenAgeSeconds;
  if (w.status === "error") return "status error";
  if (w.status === "awake" && age !== undefined && age > t.lastSeenSeconds) {
    return `awake but silent for ${Math.round(age)} s`;
  }
  if (w.status === "starting" && age !== undefined) {
    if (age > t.startingSeconds) return "stuck in starting";
  }
  if (w.status === "offline" && queuedTasks(input) > 0) {
    const since = offlineSince[w.name] ?? input.nowMs;
    offlineSince[w.name] = since;
    const s = (input.nowMs - since) / 1000;
    if (s >= t.offlineWithQueuedSeconds) return "offline with work queued";
    return undefined;
  }
  delete offlineSince[w.name];
  const unit = input.nodes.get(w.name)?.snapshot?.worker;
  if (unit?.lastExitStatus === 47) return "worker exited 47 (restart loop)";
  const recent = recentRestarts(input, w.name, unit?.restarts);
  if (recent >= t.unitRestarts) {
    return `unit restarted ${recent} times in 15 min`;
  }
  return undefined;
}

/** Window over which unit restarts count as a loop, milliseconds. */
const RESTART_WINDOW_MS = 15 * 60_000;

/**
 * Restarts of the worker's unit within RESTART_WINDOW_MS. systemd's count
 * only grows, so a lifetime total would flag a long-lived healthy node.
 */
function recentRestarts(
  input: RuleInput,
  worker: string,
  restarts: number | undefined,
): number {
  const all = (input.memory["workerStalled.restarts"] ??= {}) as Record<
    string,
    [number, number][]
  >;
  if (restarts === undefined) return 0;
  const since = input.nowMs - RESTART_WINDOW_MS;
  const samples = (all[worker] ?? []).filter(([ms]) => ms >= since);
  samples.push([input.nowMs, restarts]);
  all[worker] = samples;
  return restarts - Math.min(...samples.map(([, n]) => n));
}

/** Workers that do not work: error, silent, offline with work, looping. */
export function workerStalled(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  const offlineSince = (input.memory[OFFLINE_SINCE] ??= {}) as Record<
    string,
    number
  >;
  const out: Candidate[] = [];
  for (const w of farm.workers) {
    const reason = reasonFor(w, input, offlineSince);
    if (reason === undefined) continue;
    out.push({
      name: "FlamencoWorkerStalled",
      labels: { worker: w.name, node: w.name },
      source: "farm",
      summary: "A worker is not rendering",
      description: `Worker ${w.name}: ${reason}.`,
    });
  }
  return out;
}

function nodeIdle(input: RuleInput, node: string | undefined): boolean {
  if (node === undefined) return false;
  const snap = input.nodes.get(node)?.snapshot;
  if (snap === undefined) return false;
  const t = input.rules.FlamencoRenderHung;
  const gpus = snap.gpus.filter((g) => g.utilizationRatio !== undefined);
  const gpuIdle = gpus.every((g) => g.utilizationRatio! <= t.idleGpuRatio);
  const cpu = snap.host?.cpuUtilizationRatio;
  const cpuIdle = cpu === undefined || cpu <= t.idleCpuRatio;
  return gpuIdle && cpuIdle;
}

/**
 * A task active without progress far longer than its siblings while its
 * node idles: Blender never exited, the worker keeps pinging, and
 * Flamenco's own task timeout never fires.
 */
export function renderHung(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  const t = input.rules.FlamencoRenderHung;
  const out: Candidate[] = [];
  for (const s of farm.problems.stalledTasks) {
    const limit = Math.max(
      t.minNoProgressSeconds,
      t.medianFactor * (s.medianTaskSeconds ?? 0),
    );
    if (s.noProgressSeconds < limit) continue;
    if (!nodeIdle(input, s.worker)) continue;
    const mins = Math.round(s.noProgressSeconds / 60);
    out.push({
      name: "FlamencoRenderHung",
      labels: { job: s.jobName, task: s.taskName, worker: s.worker ?? "" },
      source: "farm",
      summary: "A render is hung: task active, no progress, node idle",
      description:
        `Task ${s.taskName} of ${s.jobName} on ${s.worker ?? "?"}: ` +
        `no progress for ${mins} min while the node's GPU and CPU idle. ` +
        "Check Blender add-ons and the task's log tail.",
      value: s.noProgressSeconds,
      jobId: s.jobId,
    });
  }
  return out;
}
