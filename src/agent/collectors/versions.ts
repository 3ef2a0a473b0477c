import type { Config } from "../../shared/config/schema.js";
import type { WorkerUnitView } from "../../shared/views.js";
import {
  CallStats,
  CollectorFailure,
  type Collector,
  type CollectorOutput,
  type Sample,
} from "../collector.js";
import { SingleFlightCommand } from "../exec.js";
import { execStartPath, parseSystemctlShow } from "../systemctl-show.js";

type AgentConfig = Config["agent"];

/** First version-looking token of a `--version` output. */
export function parseVersion(text: string): string | undefined {
  return /(\d+\.\d+(?:\.\d+)?(?:[-.\w]*)?)/.exec(text)?.[1];
}

/**
 * Blender and flamenco-worker versions and paths, read rarely (each run
 * starts up to three short processes, one at a time) and cached between
 * runs. A program that is not installed is simply absent (the Manager
 * node runs no Blender); one that hangs fails the run.
 */
export class VersionsCollector implements Collector {
  readonly name = "versions";
  readonly calls = new CallStats();
  readonly intervalSeconds: number;
  private readonly command = new SingleFlightCommand(this.calls);

  constructor(private readonly config: AgentConfig) {
    this.intervalSeconds = config.versions.intervalSeconds;
  }

  async collect(): Promise<CollectorOutput> {
    const v = this.config.versions;
    const view: Partial<WorkerUnitView> = {};
    const samples: Sample[] = [];
    const blender = await this.version(v.blenderPath, ["--version"]);
    if (blender) {
      view.blenderVersion = blender;
      view.blenderPath = v.blenderPath;
      samples.push(info("farmwatch_blender_info", blender, v.blenderPath));
    }
    const workerPath = v.workerPath ?? (await this.workerPathFromUnit());
    const worker = workerPath && (await this.version(workerPath, ["-version"]));
    if (workerPath && worker) {
      view.workerVersion = worker;
      view.workerPath = workerPath;
      samples.push(info("farmwatch_flamenco_worker_info", worker, workerPath));
    }
    return { samples, patch: { worker: view as WorkerUnitView } };
  }

  async close(): Promise<void> {
    this.command.kill();
  }

  private async version(
    file: string,
    args: string[],
  ): Promise<string | undefined> {
    try {
      const r = await this.command.run(
        file,
        args,
        this.config.versions.timeoutSeconds,
      );
      return parseVersion(r.stdout.split("\n")[0] ?? "");
    } catch (err) {
      if (isAbsent(err)) return undefined;
      throw err;
    }
  }

  private async workerPathFromUnit(): Promise<string | undefined> {
    const w = this.config.workerUnit;
    try {
      const r = await this.command.run(
        w.systemctlPath,
        ["show", w.unitName, "--property=ExecStart", "--no-pager"],
        w.systemctlTimeoutSeconds,
      );
      return execStartPath(parseSystemctlShow(r.stdout).ExecStart);
    } catch (err) {
      if (isAbsent(err)) return undefined;
      throw err;
    }
  }
}

function isAbsent(err: unknown): boolean {
  return (
    err instanceof CollectorFailure &&
    (err.reason === "missing_binary" || err.reason === "error_exit")
  );
}

function info(name: string, version: string, path: string): Sample {
  return { name, labels: { version, path }, value: 1 };
}
