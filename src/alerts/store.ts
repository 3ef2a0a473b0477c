import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Silence } from "./api.js";
import type { AlertState } from "./engine.js";
import type { QueueEntry } from "./queue.js";

/** Everything the alerts part keeps across restarts. */
export interface StateData {
  version: 1;
  alerts: AlertState[];
  /** Rule memory (workers known, jobs unfinished, ...). */
  memory: Record<string, unknown>;
  silences: Silence[];
  queue: QueueEntry[];
  /** Messages given up on: kept for the API, never silently dropped. */
  dead: QueueEntry[];
  /** Telegram group ids that became supergroups: old id to new id. */
  chatMigrations: Record<string, string>;
  /** Agents seen before, node name to URL: still expected when silent. */
  knownAgents: Record<string, string>;
  /** Lanes (channel and target) held until epoch ms by a rate limit. */
  lanePauses: Record<string, number>;
  /** Alertmanager webhook deliveries already taken, key to epoch ms. */
  webhookSeen: Record<string, number>;
}

/** An empty state, as on the very first start. */
export function emptyState(): StateData {
  return {
    version: 1,
    alerts: [],
    memory: {},
    silences: [],
    queue: [],
    dead: [],
    chatMigrations: {},
    knownAgents: {},
    webhookSeen: {},
    lanePauses: {},
  };
}

/**
 * Writes `data` to `path` atomically: a temporary file is written and
 * fsynced, then renamed over the old one, and the directory is fsynced so
 * the rename survives a power cut. A reader sees the old or the new file,
 * never a torn one.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const dir = await open(join(path, ".."), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * The state file `alerts-state.json` in the state directory. Saves are
 * serialised: a save started while another runs waits for it, then writes
 * the newest data, so the file never goes back in time.
 */
export class StateStore {
  readonly path: string;
  data: StateData = emptyState();
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {
    this.path = join(dir, "alerts-state.json");
  }

  /** Reads the state file; a missing file gives an empty state. */
  async load(): Promise<StateData> {
    await mkdir(this.dir, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      return this.data;
    }
    this.data = { ...emptyState(), ...(JSON.parse(text) as StateData) };
    return this.data;
  }

  /** Persists the current data; resolves once it is on disk. */
  save(): Promise<void> {
    const next = this.chain.then(() =>
      writeFileAtomic(this.path, JSON.stringify(this.data)),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }
}
