import type { FarmView, HttpSdGroup } from "../shared/views.js";
import type { FarmState } from "./state.js";

/** Health of the Manager connection, kept beside the last good state. */
export interface PollStatus {
  /** The last poll reached the Manager (503 "busy" counts as reached). */
  up: boolean;
  /** The state is older than the last poll attempt. */
  stale: boolean;
  lastError?: { code: string; message: string };
}

/** Where the agents are: `exporter.agentPort`, `exporter.extraAgents`. */
export interface AgentTargets {
  agentPort: number;
  extraAgents: readonly string[];
}

/**
 * The farm view served at `GET /api/v1/farm`: the last good state with its
 * age, or an empty farm before the first good poll.
 */
export function farmView(
  state: FarmState | undefined,
  status: PollStatus,
  managerUrl: string,
  agents: AgentTargets,
  nowMs: number,
): FarmView {
  const view: FarmView = {
    time: new Date(nowMs).toISOString(),
    managerUrl,
    up: status.up && !status.stale,
    stale: status.stale,
    busy: status.up && status.stale,
    lastError: status.lastError,
    workers: [],
    jobs: [],
    failedTasks: [],
    problems: {
      stalledTasks: [],
      stuckJobs: [],
      unservableJobs: [],
      pathMappingSuspects: [],
    },
    agents: agentList(state, agents),
  };
  if (!state) return view;
  view.lastSuccessfulPoll = new Date(state.polledAtMs).toISOString();
  view.ageSeconds = Math.max(0, (nowMs - state.polledAtMs) / 1000);
  if (state.version) {
    view.manager = { name: state.version.name, version: state.version.version };
  }
  view.farmStatus = state.farmStatus;
  const lists = listsOf(state);
  view.workers = lists.workers;
  view.jobs = lists.jobs;
  view.failedTasks = state.failedTasks;
  view.problems = state.problems;
  return view;
}

/** Worker and job lists of a state, built once per state. */
const LISTS = new WeakMap<FarmState, Pick<FarmView, "workers" | "jobs">>();

function listsOf(state: FarmState): Pick<FarmView, "workers" | "jobs"> {
  const cached = LISTS.get(state);
  if (cached) return cached;
  const workers: FarmView["workers"] = state.workers.map((w) => ({
    id: w.summary.id,
    name: w.summary.name,
    status: w.summary.status,
    statusChange: w.summary.status_change && {
      status: w.summary.status_change.status,
      isLazy: w.summary.status_change.is_lazy,
    },
    lastSeen: w.summary.last_seen,
    lastSeenAgeSeconds: w.lastSeenAgeSeconds,
    version: w.summary.version,
    platform: w.detail?.platform,
    address: w.detail?.ip_address,
    currentTask: w.currentTask,
    tasksCompleted: w.tasksCompleted,
    tasksFailed: w.tasksFailed,
  }));
  const jobs: FarmView["jobs"] = state.jobs.map((j) => ({
    id: j.job.id,
    name: j.job.name,
    type: j.job.type,
    status: j.job.status,
    priority: j.job.priority,
    created: j.job.created,
    updated: j.job.updated,
    stateAgeSeconds: j.stateAgeSeconds,
    unfinished: j.unfinished,
    tasksByStatus: j.tasksByStatus,
    progressRatio: j.progressRatio,
    framesDone: j.framesDone,
    framesTotal: j.framesTotal,
    etaSeconds: j.etaSeconds,
  }));
  const lists = { workers, jobs };
  LISTS.set(state, lists);
  return lists;
}

/** Strips the port from an address, keeping IPv6 brackets off. */
function hostOf(address: string): string {
  const bare = address.replace(/^\[|\](:\d+)?$/g, "");
  if (bare.includes(":") && !/^[^:]+:\d+$/.test(bare)) return bare;
  return bare.replace(/:\d+$/, "");
}

function target(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Agents: one per worker with a known address (its details'
 * `ip_address`), named after the worker, plus the configured extras.
 */
export function agentList(
  state: FarmState | undefined,
  agents: AgentTargets,
): { node: string; url: string }[] {
  const out: { node: string; url: string }[] = [];
  const seen = new Set<string>();
  for (const w of state?.workers ?? []) {
    const address = w.detail?.ip_address;
    if (!address) continue;
    const t = target(hostOf(address), agents.agentPort);
    if (seen.has(t)) continue;
    seen.add(t);
    out.push({ node: w.summary.name, url: `http://${t}` });
  }
  for (const extra of agents.extraAgents) {
    const t = extra.replace(/^https?:\/\//, "").replace(/\/+$/, "");
    if (seen.has(t)) continue;
    seen.add(t);
    out.push({ node: t.replace(/:\d+$/, ""), url: `http://${t}` });
  }
  return out;
}

/** Prometheus http_sd groups: one per agent, labelled with its node. */
export function sdGroups(
  agents: readonly { node: string; url: string }[],
): HttpSdGroup[] {
  return agents.map((a) => ({
    targets: [a.url.replace(/^https?:\/\//, "")],
    labels: { node: a.node },
  }));
}
