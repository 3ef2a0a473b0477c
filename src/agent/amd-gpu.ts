import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { GpuView } from "../shared/views.js";

const AMD_VENDOR = "0x1002";

/**
 * AMD GPUs from sysfs (`class/drm/cardN/device`, amdgpu driver): busy
 * percent, VRAM, hwmon temperature and power. Absent files give absent
 * values; no AMD GPU gives an empty list.
 */
export async function readAmdGpus(sysPath: string): Promise<GpuView[]> {
  const drm = path.join(sysPath, "class", "drm");
  const cards = (await readdir(drm).catch(() => [] as string[])).filter((c) =>
    /^card\d+$/.test(c),
  );
  const out: GpuView[] = [];
  for (const card of cards.sort()) {
    const dev = path.join(drm, card, "device");
    if ((await readText(path.join(dev, "vendor"))) !== AMD_VENDOR) continue;
    out.push(await readAmdCard(dev, card));
  }
  return out;
}

async function readAmdCard(dev: string, card: string): Promise<GpuView> {
  const uevent = (await readText(path.join(dev, "uevent"))) ?? "";
  const slot = /PCI_SLOT_NAME=(\S+)/.exec(uevent)?.[1]?.toLowerCase();
  const busy = await readNumber(path.join(dev, "gpu_busy_percent"));
  const hwmon = await firstHwmon(dev);
  const hw = (f: string) =>
    hwmon === undefined ? undefined : readNumber(path.join(hwmon, f));
  const temp = await hw("temp1_input");
  const power = await hw("power1_average");
  const view: GpuView = {
    id: slot ?? card,
    name: (await readText(path.join(dev, "product_name"))) ?? "AMD GPU",
    vendor: "amd",
  };
  if (slot) view.busId = slot;
  if (busy !== undefined) view.utilizationRatio = busy / 100;
  const used = await readNumber(path.join(dev, "mem_info_vram_used"));
  const total = await readNumber(path.join(dev, "mem_info_vram_total"));
  if (used !== undefined) view.memoryUsedBytes = used;
  if (total !== undefined) view.memoryTotalBytes = total;
  if (temp !== undefined) view.temperatureCelsius = temp / 1000;
  if (power !== undefined) view.powerWatts = power / 1e6;
  return view;
}

async function firstHwmon(dev: string): Promise<string | undefined> {
  const base = path.join(dev, "hwmon");
  const names = await readdir(base).catch(() => [] as string[]);
  const first = names.filter((n) => n.startsWith("hwmon")).sort()[0];
  return first === undefined ? undefined : path.join(base, first);
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    // Absent attribute: this driver or kernel does not offer it.
    return undefined;
  }
}

async function readNumber(file: string): Promise<number | undefined> {
  const text = await readText(file);
  const n = Number(text);
  return text === undefined || text === "" || !Number.isFinite(n)
    ? undefined
    : n;
}
