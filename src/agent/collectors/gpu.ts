import type { Config } from "../../shared/config/schema.js";
import type { Logger } from "../../shared/logger.js";
import type { GpuView } from "../../shared/views.js";
import { readAmdGpus } from "../amd-gpu.js";
import {
  CallStats,
  CollectorFailure,
  type Collector,
  type CollectorOutput,
  type Sample,
} from "../collector.js";
import { SingleFlightCommand } from "../exec.js";
import { gpuSamples } from "../gpu-samples.js";
import {
  DEVICE_LOST,
  NVIDIA_INVENTORY_FIELDS,
  NVIDIA_QUERY_FIELDS,
  parseNvidiaInventory,
  parseNvidiaQuery,
} from "../nvidia-smi.js";

type AgentConfig = Config["agent"];

/**
 * GPUs: one `nvidia-smi --query-gpu` per run (never systeminformation's
 * graphics(), which spawns many processes and blocks), the inventory
 * (UUIDs) once, and AMD GPUs from sysfs. A failed NVIDIA query drops all
 * GPU series but keeps `farmwatch_gpu_query_success 0`.
 */
export class GpuCollector implements Collector {
  readonly name = "gpu";
  readonly calls = new CallStats();
  readonly intervalSeconds: number;
  private readonly command = new SingleFlightCommand(this.calls);
  private readonly parseErrors = new Map<string, number>();
  private uuids: Map<string, string> | undefined;
  private nvidiaEnabled: boolean;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
  ) {
    this.intervalSeconds = config.gpu.intervalSeconds ?? config.intervalSeconds;
    this.nvidiaEnabled = config.gpu.nvidia !== "off";
  }

  async collect(): Promise<CollectorOutput> {
    const amd = await readAmdGpus(this.config.sysPath);
    const started = performance.now();
    let nvidia: GpuView[] = [];
    try {
      if (this.nvidiaEnabled && this.uuids === undefined) {
        await this.readInventory();
      }
      if (!this.nvidiaEnabled) {
        return { samples: gpuSamples(amd), patch: { gpus: amd } };
      }
      nvidia = await this.query();
    } catch (err) {
      throw this.queryFailure(err, started);
    }
    const gpus = [...nvidia, ...amd];
    const samples: Sample[] = [
      ...gpuSamples(gpus),
      ...this.statusSamples(1, started),
    ];
    return { samples, patch: { gpus } };
  }

  async close(): Promise<void> {
    this.command.kill();
  }

  private async readInventory(): Promise<void> {
    const gpu = this.config.gpu;
    try {
      const r = await this.command.run(
        gpu.nvidiaSmiPath,
        [
          `--query-gpu=${NVIDIA_INVENTORY_FIELDS.join(",")}`,
          "--format=csv,noheader",
        ],
        gpu.queryTimeoutSeconds,
      );
      this.uuids = parseNvidiaInventory(r.stdout);
    } catch (err) {
      const reason = (err as CollectorFailure).reason;
      if (reason === "missing_binary" && gpu.nvidia === "auto") {
        this.nvidiaEnabled = false;
        this.logger.info(
          { path: gpu.nvidiaSmiPath },
          "no nvidia-smi: NVIDIA GPUs not watched",
        );
      }
      // A hung or stuck call fails this run; any other problem shows in
      // the query right after, and the inventory is tried again next run.
      if (reason === "timeout" || reason === "stuck") throw err;
    }
  }

  private async query(): Promise<GpuView[]> {
    const gpu = this.config.gpu;
    const r = await this.command.run(
      gpu.nvidiaSmiPath,
      [
        `--query-gpu=${NVIDIA_QUERY_FIELDS.join(",")}`,
        "--format=csv,noheader,nounits",
      ],
      gpu.queryTimeoutSeconds,
    );
    if (DEVICE_LOST.test(r.stdout + r.stderr)) {
      throw new CollectorFailure(
        "device_lost",
        `nvidia-smi: ${r.stderr.trim() || "GPU is lost"}`,
      );
    }
    const reading = parseNvidiaQuery(r.stdout);
    for (const field of reading.parseErrors) {
      this.parseErrors.set(field, (this.parseErrors.get(field) ?? 0) + 1);
    }
    return reading.gpus.map((g) => {
      const uuid = this.uuids?.get(g.id);
      return uuid === undefined ? g : { ...g, uuid };
    });
  }

  private queryFailure(err: unknown, started: number): CollectorFailure {
    const f =
      err instanceof CollectorFailure
        ? err
        : new CollectorFailure("error", String(err), { cause: err });
    const output = (f.cause as { stderr?: string; stdout?: string }) ?? {};
    const lost = DEVICE_LOST.test(
      `${output.stderr ?? ""}${output.stdout ?? ""}`,
    );
    return new CollectorFailure(lost ? "device_lost" : f.reason, f.message, {
      cause: f.cause,
      samples: this.statusSamples(0, started),
      patch: { gpus: [] },
    });
  }

  private statusSamples(success: number, started: number): Sample[] {
    const out: Sample[] = [
      { name: "farmwatch_gpu_query_success", value: success },
      {
        name: "farmwatch_gpu_query_duration_seconds",
        value: (performance.now() - started) / 1000,
      },
    ];
    for (const [field, n] of this.parseErrors) {
      out.push({
        name: "farmwatch_gpu_field_parse_errors_total",
        labels: { field },
        value: n,
      });
    }
    return out;
  }
}
