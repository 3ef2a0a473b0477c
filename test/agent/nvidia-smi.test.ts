import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  NVIDIA_QUERY_FIELDS,
  parseNvidiaQuery,
} from "../../src/agent/nvidia-smi.js";
import { gpuSamples } from "../../src/agent/gpu-samples.js";
import { FIXTURES } from "./helpers.js";

const c12 = readFileSync(
  path.join(FIXTURES, "nvidia-smi", "c12-query.csv"),
  "utf8",
);

describe("parseNvidiaQuery", () => {
  it("keeps an idle GPU's real zeros as numbers", () => {
    const gpu0 = parseNvidiaQuery(c12).gpus[0]!;
    expect(gpu0.utilizationRatio).toBe(0);
    expect(gpu0.memoryUsedBytes).toBe(0);
    expect(gpu0.fanRatio).toBe(0);
  });

  it("makes [Not Supported] and [N/A] absent without a parse error", () => {
    const { gpus, parseErrors } = parseNvidiaQuery(c12);
    expect(gpus[0]).not.toHaveProperty("memoryTemperatureCelsius");
    expect(gpus[1]).not.toHaveProperty("fanRatio");
    expect(gpus[1]!.temperatureCelsius).toBe(29);
    expect(parseErrors).not.toContain("temperature.memory");
  });

  it("makes [Unknown Error] absent and counts it against its field", () => {
    const { gpus, parseErrors } = parseNvidiaQuery(c12);
    expect(gpus[2]).not.toHaveProperty("fanRatio");
    expect(gpus[2]!.utilizationRatio).toBeCloseTo(0.97);
    expect(gpus[2]!.temperatureCelsius).toBe(71);
    expect(parseErrors).toEqual(["fan.speed"]);
  });

  it("keys GPUs by PCI bus id, not by list position", () => {
    const ids = parseNvidiaQuery(c12).gpus.map((g) => g.id);
    expect(ids).toEqual([
      "00000000:01:00.0",
      "00000000:3b:00.0",
      "00000000:5e:00.0",
    ]);
  });

  it("never lets a placeholder or NaN reach a sample", () => {
    const samples = gpuSamples(parseNvidiaQuery(c12).gpus);
    for (const s of samples) expect(Number.isFinite(s.value)).toBe(true);
    const fans = samples.filter((s) => s.name === "farmwatch_gpu_fan_ratio");
    expect(fans).toEqual([
      {
        name: "farmwatch_gpu_fan_ratio",
        labels: { gpu: "00000000:01:00.0" },
        value: 0,
      },
    ]);
  });

  it("converts MiB, percent and MHz to bytes, ratios and hertz", () => {
    const gpu2 = parseNvidiaQuery(c12).gpus[2]!;
    expect(gpu2.memoryUsedBytes).toBe(812 * 1024 * 1024);
    expect(gpu2.memoryUtilizationRatio).toBeCloseTo(0.41);
    expect(gpu2.clockSmHertz).toBe(1590e6);
  });

  it("reads the optional throttle mask into reason names", () => {
    const text = readFileSync(
      path.join(FIXTURES, "nvidia-smi", "two-gpus-throttled.csv"),
      "utf8",
    );
    const { gpus } = parseNvidiaQuery(text);
    expect(gpus[0]!.throttleReasons).toEqual([
      "sw_power_cap",
      "sw_thermal_slowdown",
    ]);
    expect(gpus[1]!.throttleReasons).toEqual([]);
  });

  it("counts a short row as a row parse error", () => {
    const { gpus, parseErrors } = parseNvidiaQuery("garbage, 1, 2\n");
    expect(gpus).toEqual([]);
    expect(parseErrors).toEqual(["row"]);
  });

  it("asks for the 16 field-case fields first, throttle mask last", () => {
    expect(NVIDIA_QUERY_FIELDS.slice(0, 5)).toEqual([
      "driver_version",
      "pci.device_id",
      "name",
      "pci.bus_id",
      "fan.speed",
    ]);
    expect(NVIDIA_QUERY_FIELDS[16]).toBe("clocks_throttle_reasons.active");
  });
});
