import type { GpuView } from "../shared/views.js";
import type { Sample } from "./collector.js";

const VALUE_METRICS: [keyof GpuView, string][] = [
  ["utilizationRatio", "farmwatch_gpu_utilization_ratio"],
  ["memoryUtilizationRatio", "farmwatch_gpu_memory_utilization_ratio"],
  ["memoryUsedBytes", "farmwatch_gpu_memory_used_bytes"],
  ["memoryTotalBytes", "farmwatch_gpu_memory_total_bytes"],
  ["temperatureCelsius", "farmwatch_gpu_temperature_celsius"],
  ["memoryTemperatureCelsius", "farmwatch_gpu_memory_temperature_celsius"],
  ["powerWatts", "farmwatch_gpu_power_watts"],
  ["powerLimitWatts", "farmwatch_gpu_power_limit_watts"],
  ["clockSmHertz", "farmwatch_gpu_clock_sm_hertz"],
  ["clockMemoryHertz", "farmwatch_gpu_clock_memory_hertz"],
  ["fanRatio", "farmwatch_gpu_fan_ratio"],
];

/** The series of a list of GPUs: info, values present, throttle reasons. */
export function gpuSamples(gpus: readonly GpuView[]): Sample[] {
  const out: Sample[] = [];
  for (const vendor of ["nvidia", "amd"] as const) {
    const n = gpus.filter((g) => g.vendor === vendor).length;
    if (n > 0) {
      out.push({ name: "farmwatch_gpus", labels: { vendor }, value: n });
    }
  }
  for (const g of gpus) {
    const gpu = g.id;
    out.push({
      name: "farmwatch_gpu_info",
      labels: {
        gpu,
        vendor: g.vendor,
        name: g.name,
        uuid: g.uuid ?? "",
        driver_version: g.driverVersion ?? "",
      },
      value: 1,
    });
    for (const [key, name] of VALUE_METRICS) {
      const value = g[key];
      if (typeof value === "number" && Number.isFinite(value)) {
        out.push({ name, labels: { gpu }, value });
      }
    }
    for (const reason of g.throttleReasons ?? []) {
      out.push({
        name: "farmwatch_gpu_throttle_reason",
        labels: { gpu, reason },
        value: 1,
      });
    }
  }
  return out;
}
