import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CollectorFailure } from "../../src/agent/collector.js";
import { GpuCollector } from "../../src/agent/collectors/gpu.js";
import { FakeBin } from "../support/fakes/fake-bin.js";
import { agentConfig, captureLogger, FIXTURES } from "./helpers.js";

const NVIDIA = path.join(FIXTURES, "nvidia-smi");
const NO_SYS = path.join(FIXTURES, "proc");

let bin: FakeBin;
beforeEach(() => {
  bin = new FakeBin();
});
afterEach(() => bin.remove());

/** A fake nvidia-smi answering the inventory and the query from files. */
function answeringNvidiaSmi(query: string): string {
  return bin.write(
    "nvidia-smi",
    `case "$1" in\n` +
      `  --query-gpu=pci.bus_id,uuid,name) cat '${NVIDIA}/inventory.csv';;\n` +
      `  *) cat '${query}';;\n` +
      `esac`,
  );
}

function collector(gpu: Record<string, unknown>) {
  const cfg = agentConfig({ sysPath: NO_SYS, gpu });
  return new GpuCollector(cfg, captureLogger().logger);
}

async function failure(p: Promise<unknown>): Promise<CollectorFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CollectorFailure);
  return err as CollectorFailure;
}

describe("GpuCollector", () => {
  it("reports the field-case GPUs with UUIDs from the inventory", async () => {
    const path = answeringNvidiaSmi(`${NVIDIA}/c12-query.csv`);
    const out = await collector({ nvidiaSmiPath: path }).collect();
    expect(out.patch.gpus!.map((g) => g.uuid)).toEqual([
      "GPU-6a0b1c2d-0000-1111-2222-333344445555",
      "GPU-7b1c2d3e-0000-1111-2222-333344445555",
      "GPU-8c2d3e4f-0000-1111-2222-333344445555",
    ]);
  });

  it("counts a parse error per unparsable value, across runs", async () => {
    const path = answeringNvidiaSmi(`${NVIDIA}/c12-query.csv`);
    const c = collector({ nvidiaSmiPath: path });
    await c.collect();
    const out = await c.collect();
    expect(
      out.samples.find(
        (s) => s.name === "farmwatch_gpu_field_parse_errors_total",
      ),
    ).toEqual({
      name: "farmwatch_gpu_field_parse_errors_total",
      labels: { field: "fan.speed" },
      value: 2,
    });
  });

  it("runs one query per interval and the inventory only once", async () => {
    const path = answeringNvidiaSmi(`${NVIDIA}/two-gpus-throttled.csv`);
    const c = collector({ nvidiaSmiPath: path });
    for (let i = 0; i < 5; i++) await c.collect();
    const calls = bin.calls();
    expect(calls.filter((l) => l.includes("uuid"))).toHaveLength(1);
    expect(calls).toHaveLength(6);
  });

  it("reports GPUs from nvidia-smi alone, with no lspci anywhere", async () => {
    const path = answeringNvidiaSmi(`${NVIDIA}/two-gpus-throttled.csv`);
    const saved = process.env.PATH;
    process.env.PATH = bin.dir;
    try {
      const out = await collector({ nvidiaSmiPath: path }).collect();
      expect(out.samples).toContainEqual({
        name: "farmwatch_gpus",
        labels: { vendor: "nvidia" },
        value: 2,
      });
    } finally {
      process.env.PATH = saved;
    }
  });

  it("finds a fake nvidia-smi first in PATH by name", async () => {
    answeringNvidiaSmi(`${NVIDIA}/two-gpus-throttled.csv`);
    const saved = process.env.PATH;
    process.env.PATH = `${bin.dir}:${saved}`;
    try {
      const out = await collector({}).collect();
      expect(out.patch.gpus).toHaveLength(2);
    } finally {
      process.env.PATH = saved;
    }
  });

  it("kills a hung nvidia-smi after its timeout: reason timeout", async () => {
    const path = bin.hanging("nvidia-smi");
    const c = collector({ nvidiaSmiPath: path, queryTimeoutSeconds: 0.3 });
    const f = await failure(c.collect());
    expect(f.reason).toBe("timeout");
    await c.close();
  });

  it("keeps gpu_query_success 0 and no GPU series while failing", async () => {
    const path = bin.hanging("nvidia-smi");
    const c = collector({ nvidiaSmiPath: path, queryTimeoutSeconds: 0.3 });
    const f = await failure(c.collect());
    expect(f.samples.map((s) => s.name).sort()).toEqual([
      "farmwatch_gpu_query_duration_seconds",
      "farmwatch_gpu_query_success",
    ]);
    expect(
      f.samples.find((s) => s.name === "farmwatch_gpu_query_success"),
    ).toMatchObject({ value: 0 });
    expect(f.patch.gpus).toEqual([]);
    await c.close();
  });

  it("says device_lost when nvidia-smi reports a lost GPU", async () => {
    const path = bin.failing(
      "nvidia-smi",
      "failed to reach GPU 00000000:3B:00.0 - device lost, reboot needed",
    );
    const f = await failure(collector({ nvidiaSmiPath: path }).collect());
    expect(f.reason).toBe("device_lost");
  });

  it("says error_exit for any other failing exit", async () => {
    const path = bin.failing("nvidia-smi", "NVIDIA-SMI has failed", 9);
    const f = await failure(collector({ nvidiaSmiPath: path }).collect());
    expect(f.reason).toBe("error_exit");
  });

  it("says missing_binary when required and nvidia-smi is absent", async () => {
    const c = collector({
      nvidia: "on",
      nvidiaSmiPath: `${bin.dir}/nvidia-smi`,
    });
    const f = await failure(c.collect());
    expect(f.reason).toBe("missing_binary");
  });

  it("stops asking for NVIDIA GPUs in auto mode without nvidia-smi", async () => {
    const c = collector({ nvidiaSmiPath: `${bin.dir}/nvidia-smi` });
    const out = await c.collect();
    expect(out.patch.gpus).toEqual([]);
  });

  it("accepts a slow answer that arrives within the timeout", async () => {
    const path = bin.write(
      "nvidia-smi",
      `sleep 1\ncat '${NVIDIA}/two-gpus-throttled.csv'`,
    );
    const c = collector({ nvidiaSmiPath: path, queryTimeoutSeconds: 5 });
    const out = await c.collect();
    const duration = out.samples.find(
      (s) => s.name === "farmwatch_gpu_query_duration_seconds",
    );
    expect(out.patch.gpus).toHaveLength(2);
    expect(duration!.value).toBeGreaterThanOrEqual(1);
  });

  it("reads AMD GPUs from sysfs", async () => {
    const cfg = agentConfig({ gpu: { nvidia: "off" } });
    const out = await new GpuCollector(cfg, captureLogger().logger).collect();
    expect(out.patch.gpus).toEqual([
      {
        id: "0000:03:00.0",
        busId: "0000:03:00.0",
        name: "AMD GPU",
        vendor: "amd",
        utilizationRatio: 0,
        memoryUsedBytes: 536870912,
        memoryTotalBytes: 8589934592,
        temperatureCelsius: 45,
        powerWatts: 12,
      },
    ]);
  });
});
