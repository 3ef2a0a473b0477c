import { request } from "undici";
import type { FarmView, HttpSdGroup, NodeSnapshot } from "../shared/views.js";
import type { NodeInput } from "./rules/types.js";

/** GETs JSON with a hard limit on the whole exchange; throws on failure. */
export async function getJson<T>(url: string, timeoutMs: number): Promise<T> {
  let res;
  try {
    res = await request(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (err) {
    const e = err as { code?: string; name?: string };
    throw new Error(`GET ${url}: ${e.code ?? e.name ?? "failed"}`, {
      cause: err,
    });
  }
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`GET ${url}: ${res.statusCode}`);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`GET ${url}: malformed JSON`, { cause: err });
  }
}

/** What one round of fetching gave. */
export interface Views {
  farm?: FarmView;
  farmError?: string;
  nodes: Map<string, NodeInput>;
  /** Agent targets as `node -> base URL`, after this round. */
  agents: Record<string, string>;
}

function nodeNameOf(url: string): string {
  return new URL(url).hostname;
}

/** Agents from the exporter's http_sd list: `host:port` plus labels. */
function agentsFromSd(groups: readonly HttpSdGroup[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of groups) {
    for (const t of g.targets) {
      const url = /^https?:\/\//.test(t) ? t : `http://${t}`;
      out[g.labels["node"] ?? nodeNameOf(url)] = url;
    }
  }
  return out;
}

/** Node name to URL of every agent expected now, one name per URL. */
function expectedAgents(
  o: {
    agentUrls: readonly string[];
    discover: boolean;
    known: Readonly<Record<string, string>>;
  },
  farm: FarmView | undefined,
  sd: PromiseSettledResult<HttpSdGroup[]> | undefined,
): Record<string, string> {
  const byUrl = new Map<string, string>();
  const workers = new Set(farm?.workers.map((w) => w.name) ?? []);
  for (const a of o.discover ? (farm?.agents ?? []) : []) {
    byUrl.set(a.url, a.node);
  }
  if (sd?.status === "fulfilled") {
    for (const [node, url] of Object.entries(agentsFromSd(sd.value))) {
      byUrl.set(url, node);
    }
  }
  for (const u of o.agentUrls) byUrl.set(u, nodeNameOf(u));
  for (const [node, url] of Object.entries(o.known)) {
    // A name learned from the agent itself wins; a known agent no longer
    // listed stays expected while its worker exists.
    if (byUrl.has(url) || farm === undefined || workers.has(node)) {
      byUrl.set(url, node);
    }
  }
  const out: Record<string, string> = {};
  for (const [url, node] of byUrl) out[node] = url;
  return out;
}

/**
 * Reads the farm view, the agent list and every agent's node view, each
 * fetch timed out on its own and all agents in parallel. Agents expected:
 * those the exporter lists (SD list and farm view), the configured ones,
 * and those known before whose worker still exists (an agent that
 * vanished from the lists must still be missed, not forgotten).
 */
export async function fetchViews(o: {
  exporterUrl: string;
  agentUrls: readonly string[];
  /** Also expect the agents the exporter lists. */
  discover: boolean;
  known: Readonly<Record<string, string>>;
  timeoutMs: number;
}): Promise<Views> {
  const base = o.exporterUrl.replace(/\/+$/, "");
  const [farm, sd] = await Promise.allSettled([
    getJson<FarmView>(`${base}/api/v1/farm`, o.timeoutMs),
    o.discover
      ? getJson<HttpSdGroup[]>(`${base}/api/v1/sd/agents`, o.timeoutMs)
      : Promise.resolve(undefined),
  ]);
  const views: Views = { nodes: new Map(), agents: {} };
  if (farm.status === "fulfilled") views.farm = farm.value;
  else views.farmError = (farm.reason as Error).message;
  const agents = expectedAgents(
    o,
    views.farm,
    o.discover ? (sd as PromiseSettledResult<HttpSdGroup[]>) : undefined,
  );
  views.agents = {};
  await Promise.all(
    Object.entries(agents).map(async ([listed, url]) => {
      const input: NodeInput = { node: listed, url };
      try {
        const u = `${url.replace(/\/+$/, "")}/api/v1/node`;
        input.snapshot = await getJson<NodeSnapshot>(u, o.timeoutMs);
        // The agent knows its node's name better than an address does.
        input.node = input.snapshot.node || listed;
      } catch (err) {
        input.error = (err as Error).message;
      }
      views.nodes.set(input.node, input);
      views.agents[input.node] = url;
    }),
  );
  return views;
}
