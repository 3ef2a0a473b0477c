import { CallStats, CollectorFailure } from "./collector.js";
import { SingleFlightCommand } from "./exec.js";
import { errnoOf, MOUNT_PROBE_SCRIPT } from "./mount-probe-script.js";

/** What to do on one mount. */
export interface ProbeRequest {
  mountpoint: string;
  /** Marker file name at the mount root, when configured. */
  marker?: string;
  /** Canary directory and per-host file name, when writing is enabled. */
  canaryDir?: string;
  canaryFile?: string;
}

/** The answer of a probe, or `hung`. */
export interface ProbeResult {
  hung: boolean;
  /** This probe ran past its timeout (not: an earlier one is stuck). */
  timedOut?: boolean;
  /** errno code of statfs/stat, e.g. `ESTALE`. */
  error?: string;
  message?: string;
  freeBytes?: number;
  totalBytes?: number;
  share?: string;
  markerError?: string;
  canaryError?: string;
  canarySeconds?: number;
  /** Probe duration; for a hung probe, the time waited. */
  seconds: number;
}

/** What probes mounts; {@link MountProber}, or a stand-in in tests. */
export interface MountProbing {
  /** Never rejects; a probe past `timeoutSeconds` answers `hung`. */
  probe(req: ProbeRequest, timeoutSeconds: number): Promise<ProbeResult>;
  close(): Promise<void>;
}

/**
 * Probes each mount in a short `sh` process of its own, at most one per
 * mount: while one is outstanding (killed but not yet gone, as in an
 * uninterruptible wait), asking again answers `hung` at once without
 * starting anything. Nothing runs in the agent's own thread pool.
 */
export class MountProber implements MountProbing {
  private readonly commands = new Map<string, SingleFlightCommand>();

  constructor(private readonly stats: CallStats) {}

  async probe(req: ProbeRequest, timeoutSeconds: number): Promise<ProbeResult> {
    const cmd = this.command(req.mountpoint);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const args = [
      "-c",
      MOUNT_PROBE_SCRIPT,
      "sh",
      req.mountpoint,
      req.marker ?? "",
      req.canaryDir ?? "",
      req.canaryFile ?? "",
    ];
    try {
      const r = await cmd.run("/bin/sh", args, timeoutSeconds, PROBE_ENV);
      return { ...parseProbeOutput(r.stdout), seconds: seconds() };
    } catch (err) {
      const reason = err instanceof CollectorFailure ? err.reason : "error";
      if (reason === "timeout" || reason === "stuck") {
        return {
          hung: true,
          timedOut: reason === "timeout",
          seconds: seconds(),
        };
      }
      const message = String((err as Error).message);
      return {
        hung: false,
        error: errnoOf(message),
        message,
        seconds: seconds(),
      };
    }
  }

  async close(): Promise<void> {
    for (const cmd of this.commands.values()) cmd.kill();
  }

  private command(mountpoint: string): SingleFlightCommand {
    let cmd = this.commands.get(mountpoint);
    if (!cmd) {
      cmd = new SingleFlightCommand(this.stats);
      this.commands.set(mountpoint, cmd);
    }
    return cmd;
  }
}

/** C locale so error texts are strerror's; a fixed PATH for the tools. */
const PROBE_ENV = { LC_ALL: "C", PATH: "/usr/bin:/bin" };

/** Parses the probe script's output lines. */
export function parseProbeOutput(text: string): Omit<ProbeResult, "seconds"> {
  const r: Omit<ProbeResult, "seconds"> = { hung: false };
  for (const line of text.split("\n")) {
    const sp = line.indexOf(" ");
    const [key, rest] =
      sp < 0 ? [line, ""] : [line.slice(0, sp), line.slice(sp + 1)];
    if (key === "error") {
      r.error = errnoOf(rest);
      r.message = rest;
    } else if (key === "statfs") {
      const [avail, blocks, frsize] = rest.split(" ").map(Number);
      r.freeBytes = avail! * frsize!;
      r.totalBytes = blocks! * frsize!;
    } else if (key === "share") {
      r.share = rest.trim().slice(0, 200);
    } else if (key === "marker_error") {
      r.markerError = errnoOf(rest);
    } else if (key === "canary") {
      r.canarySeconds = Number(rest.split(" ")[1]) / 1e9;
    } else if (key === "canary_error") {
      r.canaryError = errnoOf(rest);
    }
  }
  return r;
}
