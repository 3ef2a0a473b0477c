import type { FarmWorkerView } from "../../../shared/views.js";
import type { CommandSpec } from "../env.js";
import { formatSeconds } from "../format.js";
import { esc, fitLines } from "../html.js";
import { TROUBLE_WORKER_STATUSES } from "./status.js";

const WORKER_ICON: Record<string, string> = {
  awake: "🟢",
  asleep: "💤",
  error: "🔴",
  offline: "⚫",
  starting: "🟡",
};

/** An icon for a worker status. */
export function workerIcon(status: string): string {
  return WORKER_ICON[status] ?? "•";
}

/** `name · status · task or last seen` in one line. */
export function workerLine(w: FarmWorkerView): string {
  const task = w.currentTask
    ? ` · ${esc(w.currentTask.jobName)} / ${esc(w.currentTask.name)}`
    : "";
  const seen =
    w.lastSeenAgeSeconds !== undefined && w.lastSeenAgeSeconds >= 60
      ? ` · seen ${formatSeconds(w.lastSeenAgeSeconds)} ago`
      : "";
  return `${workerIcon(w.status)} ${esc(w.name)} · ${esc(w.status)}${task}${seen}`;
}

/** `/workers`: every worker, the ones in trouble first. */
export const workersCommand: CommandSpec = {
  command: "workers",
  description: "Workers and what they do",
  admin: false,
  async run(env) {
    const farm = env.deps.farm();
    if (farm === undefined) return { text: "No farm data yet." };
    if (farm.workers.length === 0) return { text: "No workers known." };
    const trouble = (w: FarmWorkerView) =>
      TROUBLE_WORKER_STATUSES.includes(w.status) ? 0 : 1;
    const workers = [...farm.workers].sort(
      (a, b) => trouble(a) - trouble(b) || a.name.localeCompare(b.name),
    );
    const lines = workers.map(workerLine);
    return { text: fitLines(lines, undefined, " (see /worker &lt;name&gt;)") };
  },
};
