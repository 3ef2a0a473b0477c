import type { NodeSnapshot } from "../shared/views.js";

/** One value of one series, before it reaches prom-client. */
export interface Sample {
  name: string;
  labels?: Record<string, string>;
  value: number;
}

/** The parts of the JSON snapshot a collector fills. */
export type SnapshotPatch = Partial<
  Pick<NodeSnapshot, "host" | "mounts" | "gpus" | "tailscale" | "worker">
>;

/** What a successful collector run yields. */
export interface CollectorOutput {
  samples: Sample[];
  patch: SnapshotPatch;
}

/** Counts of external calls (child processes, probes) of one collector. */
export class CallStats {
  /** Calls killed or abandoned after their timeout, ever. */
  timeouts = 0;
  /** Calls past their timeout that have not returned yet. */
  stuck = 0;
}

/**
 * A collector failed. `reason` is a short stable word (`timeout`,
 * `missing_binary`, `error_exit`, `device_lost`, `parse_error`, `stuck`,
 * `read_error`). `samples` are the few series kept while failing (such
 * as `farmwatch_gpu_query_success 0`); every other series is dropped.
 */
export class CollectorFailure extends Error {
  readonly reason: string;
  readonly samples: Sample[];
  readonly patch: SnapshotPatch;

  constructor(
    reason: string,
    message: string,
    options: {
      cause?: unknown;
      samples?: Sample[];
      patch?: SnapshotPatch;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "CollectorFailure";
    this.reason = reason;
    this.samples = options.samples ?? [];
    this.patch = options.patch ?? {};
    // Kept out of log lines: the error object is logged under `err`.
    Object.defineProperty(this, "samples", { enumerable: false });
    Object.defineProperty(this, "patch", { enumerable: false });
  }
}

/**
 * One data source of the agent. `collect` runs in the background on its
 * own interval; it must bound every external call with a timeout and
 * throw {@link CollectorFailure} (or any error: reason `error`) to fail.
 */
export interface Collector {
  /** Stable name, the `collector` label. */
  readonly name: string;
  /** Seconds between runs. */
  readonly intervalSeconds: number;
  readonly calls: CallStats;
  collect(): Promise<CollectorOutput>;
  /** Kills helpers (child processes); resolves when they are gone. */
  close?(): Promise<void>;
}
