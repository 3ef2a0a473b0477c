import type { FarmWorkerView } from "../../shared/views.js";
import type { BotEnv } from "./env.js";

/** A job as far as finding it by name or id goes. */
export interface JobRef {
  id: string;
  name: string;
  status: string;
}

/** Items matching `query`: by exact id or name, then prefixes, then parts. */
export function matchByName<T extends { id: string; name: string }>(
  items: readonly T[],
  query: string,
): T[] {
  const q = query.trim();
  const lower = q.toLowerCase();
  const tiers: ((i: T) => boolean)[] = [
    (i) => i.id === q || i.name === q,
    (i) => i.name.toLowerCase() === lower,
    (i) => q.length >= 3 && i.id.toLowerCase().startsWith(lower),
    (i) => i.name.toLowerCase().startsWith(lower),
    (i) => i.name.toLowerCase().includes(lower),
  ];
  for (const tier of tiers) {
    const found = items.filter(tier);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * Jobs matching `query`, from the farm view, or from the Manager when the
 * view is missing. Throws what the Manager call throws.
 */
export async function findJobs(env: BotEnv, query: string): Promise<JobRef[]> {
  const farm = env.deps.farm();
  const jobs: JobRef[] =
    farm !== undefined && farm.jobs.length > 0
      ? farm.jobs
      : ((await env.manager?.listJobs()) ?? []);
  return matchByName(jobs, query);
}

/** Workers of the farm view matching `query`. */
export function findWorkers(env: BotEnv, query: string): FarmWorkerView[] {
  return matchByName(env.deps.farm()?.workers ?? [], query);
}
