import { spawn, type ChildProcess } from "node:child_process";
import type { CallStats } from "./collector.js";
import { MOUNT_PROBE_SCRIPT } from "./mount-probe-script.js";

/** What to do on one mount. */
export interface ProbeRequest {
  mountpoint: string;
  /** Marker file name at the mount root, when configured. */
  marker?: string;
  /** Canary directory and per-host file name, when writing is enabled. */
  canaryDir?: string;
  canaryFile?: string;
}

/** The answer of the helper, or `hung`. */
export interface ProbeResult {
  hung: boolean;
  /** errno code of statfs/stat, e.g. `ESTALE`. */
  error?: string;
  message?: string;
  freeBytes?: number;
  totalBytes?: number;
  share?: string;
  markerError?: string;
  canaryError?: string;
  canarySeconds?: number;
  /** Probe duration; for a hung probe, time waited so far. */
  seconds: number;
}

/** What probes mounts; {@link MountProber}, or a stand-in in tests. */
export interface MountProbing {
  /** Never rejects; a probe past `timeoutSeconds` answers `hung`. */
  probe(req: ProbeRequest, timeoutSeconds: number): Promise<ProbeResult>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (r: ProbeResult) => void;
  mountpoint: string;
  startedMs: number;
  timedOut: boolean;
}

/** Threads of the helper's libuv pool: hung mounts each hold one. */
const HELPER_POOL_THREADS = "16";

/**
 * Probes mounts in one helper process, at most one outstanding probe per
 * mount: while a probe is stuck, asking again answers `hung` at once
 * without sending anything. The helper is started on first use and
 * restarted if it dies.
 */
export class MountProber implements MountProbing {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<string, number>();

  constructor(private readonly stats: CallStats) {}

  /** Probes `req.mountpoint`; `hung` after `timeoutSeconds`. */
  probe(req: ProbeRequest, timeoutSeconds: number): Promise<ProbeResult> {
    const stuckId = this.busy.get(req.mountpoint);
    if (stuckId !== undefined) {
      const p = this.pending.get(stuckId);
      const seconds = p ? (Date.now() - p.startedMs) / 1000 : 0;
      return Promise.resolve({ hung: true, seconds });
    }
    const id = this.nextId++;
    const child = this.helper();
    return new Promise((resolve) => {
      const entry: Pending = {
        resolve,
        mountpoint: req.mountpoint,
        startedMs: Date.now(),
        timedOut: false,
      };
      this.pending.set(id, entry);
      this.busy.set(req.mountpoint, id);
      const timer = setTimeout(() => {
        entry.timedOut = true;
        this.stats.timeouts++;
        this.stats.stuck++;
        resolve({ hung: true, seconds: timeoutSeconds });
      }, timeoutSeconds * 1000);
      entry.resolve = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      child.send({ ...req, id });
    });
  }

  /** Kills the helper; stuck probes are abandoned. */
  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await gone;
  }

  private helper(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(process.execPath, ["-e", MOUNT_PROBE_SCRIPT], {
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      env: { UV_THREADPOOL_SIZE: HELPER_POOL_THREADS },
    });
    child.on("message", (m: ProbeResult & { id: number }) => this.answer(m));
    child.once("exit", () => this.helperGone(child));
    this.child = child;
    return child;
  }

  private answer(msg: ProbeResult & { id: number }): void {
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    this.finish(msg.id, entry);
    const { id: _id, ...result } = msg;
    entry.resolve({ ...result, hung: false });
  }

  private finish(id: number, entry: Pending): void {
    this.pending.delete(id);
    this.busy.delete(entry.mountpoint);
    if (entry.timedOut) this.stats.stuck--;
  }

  private helperGone(child: ChildProcess): void {
    if (this.child === child) this.child = undefined;
    for (const [id, entry] of this.pending) {
      this.finish(id, entry);
      entry.resolve({
        hung: false,
        error: "EHELPER",
        message: "the mount probe helper exited",
        seconds: (Date.now() - entry.startedMs) / 1000,
      });
    }
  }
}
