import { readFile } from "node:fs/promises";
import path from "node:path";
import { waitFor } from "../support/prometheus.js";
import type { DemoFarm } from "./farm.js";

/** One line of the alerts part's outbox (`outbox.jsonl`). */
export interface OutboxLine {
  status: string;
  alertname: string;
  /** `rules` (built in) or `alertmanager` (its webhook). */
  origin: string;
  alerts: { labels: Record<string, string> }[];
}

/** Every line of the farm's outbox so far, parsed; none before the first. */
export async function readOutbox(farm: DemoFarm): Promise<OutboxLine[]> {
  let text: string;
  try {
    text = await readFile(path.join(farm.stateDir, "outbox.jsonl"), "utf8");
  } catch {
    // Not written yet: nothing has been delivered.
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as OutboxLine);
}

/** Fails two frames of an active job of the demo farm, if there is one. */
export async function failFramesOnce(farm: DemoFarm): Promise<void> {
  const res = await fetch(`${farm.urls.sim}/api/v3/jobs`);
  const { jobs } = (await res.json()) as {
    jobs: { id: string; status: string }[];
  };
  const active = jobs.find((j) => j.status === "active");
  if (active === undefined) return;
  await fetch(`${farm.urls.sim}/sim/jobs/${active.id}/fail-frames`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ count: 2 }),
  });
}

/**
 * Fails frames until the exporter has counted failed and soft-failed
 * tasks: its per-job-type failure counters exist only from the first
 * failure on, and a demo farm may not fail a frame by itself in a minute.
 */
export async function failUntilCounted(farm: DemoFarm): Promise<void> {
  await waitFor(
    "the exporter to count failed tasks",
    async () => {
      await failFramesOnce(farm);
      const url = `${farm.urls.exporter}/metrics`;
      const metrics = await (await fetch(url)).text();
      return /^flamenco_tasks_failed_total\{/m.test(metrics) &&
        /^flamenco_tasks_soft_failed_total\{/m.test(metrics)
        ? true
        : undefined;
    },
    60_000,
    2_000,
  );
}
