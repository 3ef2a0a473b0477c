import type { GpuView } from "../shared/views.js";

/**
 * The fields of the one query per interval, in order. The first 16 are
 * required in every row; the throttle mask is last and optional, so older
 * drivers and replayed 16-field output still parse.
 */
export const NVIDIA_QUERY_FIELDS = [
  "driver_version",
  "pci.device_id",
  "name",
  "pci.bus_id",
  "fan.speed",
  "memory.total",
  "memory.used",
  "memory.free",
  "utilization.gpu",
  "utilization.memory",
  "temperature.gpu",
  "temperature.memory",
  "power.draw",
  "power.limit",
  "clocks.sm",
  "clocks.mem",
  "clocks_throttle_reasons.active",
] as const;

/** Fields of the inventory query, run once at start. */
export const NVIDIA_INVENTORY_FIELDS = ["pci.bus_id", "uuid", "name"] as const;

const REQUIRED_FIELDS = 16;
const MIB = 1024 * 1024;

/** Placeholders meaning "no value here"; not an error. */
const NO_VALUE = new Set(["[N/A]", "N/A", "[Not Supported]", ""]);

/** Bits of clocks_throttle_reasons.active, from nvidia-smi's docs. */
const THROTTLE_BITS: [number, string][] = [
  [0x1, "gpu_idle"],
  [0x2, "applications_clocks_setting"],
  [0x4, "sw_power_cap"],
  [0x8, "hw_slowdown"],
  [0x10, "sync_boost"],
  [0x20, "sw_thermal_slowdown"],
  [0x40, "hw_thermal_slowdown"],
  [0x80, "hw_power_brake_slowdown"],
  [0x100, "display_clock_setting"],
];

/** Output of nvidia-smi that means the GPU is gone until a reboot. */
export const DEVICE_LOST =
  /GPU is lost|device lost|fallen off the bus|Unable to determine the device handle/i;

/** Parsed query output: GPUs and the fields that failed to parse. */
export interface NvidiaReading {
  gpus: GpuView[];
  /** One entry per unparsable value, named by its query field. */
  parseErrors: string[];
}

/** Normalises a bus id so that both queries agree: lower case. */
export function normaliseBusId(busId: string): string {
  return busId.trim().toLowerCase();
}

/**
 * Parses `--format=csv,noheader,nounits` output of the query in
 * {@link NVIDIA_QUERY_FIELDS}. Placeholders become absent values; other
 * non-numbers become absent and are listed in `parseErrors`. A real 0
 * stays 0. Never yields NaN.
 */
export function parseNvidiaQuery(text: string): NvidiaReading {
  const gpus: GpuView[] = [];
  const parseErrors: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length < REQUIRED_FIELDS) {
      parseErrors.push("row");
      continue;
    }
    const num = (i: number): number | undefined => {
      const raw = cells[i] ?? "";
      if (NO_VALUE.has(raw)) return undefined;
      const n = Number(raw);
      if (raw !== "" && Number.isFinite(n)) return n;
      parseErrors.push(NVIDIA_QUERY_FIELDS[i]!);
      return undefined;
    };
    gpus.push(rowToGpu(cells, num));
  }
  return { gpus, parseErrors };
}

function rowToGpu(
  cells: string[],
  num: (i: number) => number | undefined,
): GpuView {
  const scale = (v: number | undefined, f: number) =>
    v === undefined ? undefined : v * f;
  const busId = normaliseBusId(cells[3]!);
  const throttle = cells[16];
  return strip({
    id: busId,
    busId,
    name: cells[2]!,
    vendor: "nvidia",
    driverVersion: cells[0],
    fanRatio: scale(num(4), 0.01),
    memoryTotalBytes: scale(num(5), MIB),
    memoryUsedBytes: scale(num(6), MIB),
    utilizationRatio: scale(num(8), 0.01),
    memoryUtilizationRatio: scale(num(9), 0.01),
    temperatureCelsius: num(10),
    memoryTemperatureCelsius: num(11),
    powerWatts: num(12),
    powerLimitWatts: num(13),
    clockSmHertz: scale(num(14), 1e6),
    clockMemoryHertz: scale(num(15), 1e6),
    throttleReasons: throttleReasons(throttle),
  });
}

function throttleReasons(cell: string | undefined): string[] | undefined {
  if (cell === undefined || !/^0x[0-9a-f]+$/i.test(cell)) return undefined;
  const mask = Number.parseInt(cell.slice(2), 16);
  return THROTTLE_BITS.filter(([bit]) => (mask & bit) !== 0).map(([, n]) => n);
}

/** Parses the inventory query: bus id to UUID. */
export function parseNvidiaInventory(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const [bus, uuid] = line.split(",").map((c) => c.trim());
    if (bus && uuid) out.set(normaliseBusId(bus), uuid);
  }
  return out;
}

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    if (o[k] === undefined) delete o[k];
  }
  return o;
}
