import type { FlamencoClient } from "../shared/flamenco/client.js";
import type { WorkerSummary } from "../shared/flamenco/types.js";
import type { WorkerMemo } from "./state.js";

/** What the workers step needs from the poll. */
export interface WorkersStepInput {
  client: FlamencoClient;
  monoNowMs: number;
  workerDetailRefreshSeconds: number;
  /** Most routine detail refreshes per poll (new or changed: no limit). */
  maxRoutineRefreshes: number;
}

/** All workers vanished at once: what the farm view reports. */
export interface VanishedWorkers {
  before: number;
  after: number;
  names: string[];
}

/**
 * Brings the worker memory up to date with a fresh list: new workers are
 * added, deleted ones forgotten (their series go with them), summaries
 * replaced. Returns who vanished when the list went from several workers
 * to none at once: the Manager lost its database, not an operator deleting
 * workers one by one.
 */
export function noteWorkers(
  memory: Map<string, WorkerMemo>,
  workers: readonly WorkerSummary[],
): VanishedWorkers | undefined {
  const before = memory.size;
  const names = [...memory.values()].map((m) => m.summary.name);
  const listed = new Set(workers.map((w) => w.id));
  for (const id of [...memory.keys()]) {
    if (!listed.has(id)) memory.delete(id);
  }
  for (const summary of workers) {
    const memo = memory.get(summary.id);
    if (memo) memo.summary = summary;
    else memory.set(summary.id, { summary, tasksCompleted: 0, tasksFailed: 0 });
  }
  if (before >= 2 && workers.length === 0) {
    return { before, after: 0, names: names.sort() };
  }
  return undefined;
}

/**
 * Reads worker details (address, platform, supported task types) for
 * workers that are new or changed status, and routinely for at most
 * `maxRoutineRefreshes` whose details are older than the refresh period,
 * oldest first. Returns whether every read succeeded; a failed read keeps
 * the previous details.
 */
export async function refreshWorkerDetails(
  memory: Map<string, WorkerMemo>,
  input: WorkersStepInput,
): Promise<{ ok: boolean; reads: number }> {
  const urgent: WorkerMemo[] = [];
  const routine: WorkerMemo[] = [];
  const periodMs = input.workerDetailRefreshSeconds * 1000;
  for (const memo of memory.values()) {
    if (!memo.detail || memo.detailForStatus !== memo.summary.status) {
      urgent.push(memo);
    } else if (input.monoNowMs - (memo.detailReadAtMs ?? 0) >= periodMs) {
      routine.push(memo);
    }
  }
  routine.sort((a, b) => (a.detailReadAtMs ?? 0) - (b.detailReadAtMs ?? 0));
  const wanted = [...urgent, ...routine.slice(0, input.maxRoutineRefreshes)];
  const results = await Promise.allSettled(
    wanted.map(async (memo) => {
      const answer = await input.client.getWorker(memo.summary.id);
      memo.detail = answer.body;
      memo.detailForStatus = memo.summary.status;
      memo.detailReadAtMs = input.monoNowMs;
    }),
  );
  const ok = results.every((r) => r.status === "fulfilled");
  return { ok, reads: wanted.length };
}
