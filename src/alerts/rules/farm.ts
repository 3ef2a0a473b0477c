import type { Candidate, RuleInput } from "./types.js";
import { answering } from "./types.js";

/** The exporter itself cannot be read: every farm rule is blind. */
export function exporterDown(input: RuleInput): Candidate[] {
  if (input.farm !== undefined) return [];
  return [
    {
      name: "FarmwatchExporterDown",
      labels: {},
      source: "self",
      summary: "The exporter's farm view cannot be read",
      description: `Fetching the farm view failed: ${input.farmError ?? "?"}`,
    },
  ];
}

/**
 * The exporter reports the Manager unreachable or failing, or answering
 * only "503 busy" (a busy database) with its last good view older than
 * `busySeconds`: short bursts of 503 are normal and retried.
 */
export function managerDown(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || farm.up) return [];
  const busyAge = farm.ageSeconds ?? Number.POSITIVE_INFINITY;
  const grace = input.rules.FlamencoManagerDown.busySeconds;
  if (farm.busy === true && busyAge < grace) return [];
  const why = farm.lastError?.message ?? "no answer";
  return [
    {
      name: "FlamencoManagerDown",
      labels: {},
      source: "farm",
      summary: "The Flamenco Manager does not answer",
      description: `${farm.managerUrl}: ${why}`,
    },
  ];
}

/** The Manager says the farm cannot render. */
export function farmInoperative(input: RuleInput): Candidate[] {
  if (input.farm?.farmStatus !== "inoperative") return [];
  return [
    {
      name: "FlamencoFarmInoperative",
      labels: {},
      source: "farm",
      summary: "The farm is inoperative",
      description: "The Manager reports farm status inoperative.",
    },
  ];
}

const KNOWN_WORKERS = "workersVanished.known";

/**
 * The worker list emptied at once (a fresh Manager database) while agents
 * still answer: not a clean sign-off of every worker.
 */
export function workersVanished(input: RuleInput): Candidate[] {
  const farm = input.farm;
  if (farm === undefined || !farm.up) return [];
  const known = (input.memory[KNOWN_WORKERS] as string[] | undefined) ?? [];
  const now = farm.workers.map((w) => w.name);
  const min = input.rules.FlamencoWorkersVanished.minWorkersBefore;
  const fromExporter = farm.problems.workersVanished;
  let before = known;
  if (now.length > 0) {
    input.memory[KNOWN_WORKERS] = now;
    before = [];
  }
  if (fromExporter !== undefined) before = fromExporter.names;
  if (before.length < Math.max(1, min) || now.length > 0) return [];
  const alive = answering(input).filter((s) => before.includes(s.node));
  return [
    {
      name: "FlamencoWorkersVanished",
      labels: {},
      source: "farm",
      summary: "Every worker vanished from the Manager",
      description:
        `${before.length} workers known, now 0; ` +
        `${alive.length} of their agents still answer. ` +
        "Did the Manager lose its database?",
      value: before.length,
      details: before,
    },
  ];
}
