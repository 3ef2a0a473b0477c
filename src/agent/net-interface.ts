import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** Kernel interface flag IFF_UP (include/uapi/linux/if.h). */
const IFF_UP = 0x1;

/** A network interface as sysfs and getifaddrs show it. */
export interface InterfaceState {
  name: string;
  present: boolean;
  /** UP flag set and carrier 1; operstate is not used (a TUN shows unknown). */
  up: boolean;
  operstate?: string;
  flags?: number;
  addresses: string[];
}

/** Addresses per interface name; injectable for tests. */
export type AddressLister = () => Record<string, string[]>;

/** Addresses from getifaddrs(3) via os.networkInterfaces(). */
export function listAddresses(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    out[name] = (addrs ?? []).map((a) => a.address);
  }
  return out;
}

/**
 * The interface carrying one of `addresses` (Tailscale may be started with
 * `--tun=<name>`), else `fallbackName`.
 */
export function findInterfaceName(
  addresses: readonly string[],
  byInterface: Record<string, string[]>,
  fallbackName: string,
): string {
  for (const [name, addrs] of Object.entries(byInterface)) {
    if (addrs.some((a) => addresses.includes(a))) return name;
  }
  return fallbackName;
}

/** Reads flags, carrier and operstate of `name` under sysPath. */
export async function readInterface(
  sysPath: string,
  name: string,
  byInterface: Record<string, string[]>,
): Promise<InterfaceState> {
  const dir = path.join(sysPath, "class", "net", name);
  const read = (f: string) =>
    readFile(path.join(dir, f), "utf8").then(
      (t) => t.trim(),
      () => undefined,
    );
  const flagsText = await read("flags");
  const addresses = byInterface[name] ?? [];
  if (flagsText === undefined) {
    return { name, present: false, up: false, addresses };
  }
  const flags = Number.parseInt(flagsText, 16);
  // Reading carrier of a down interface fails with EINVAL: no carrier.
  const carrier = (await read("carrier")) === "1";
  const operstate = await read("operstate");
  const state: InterfaceState = {
    name,
    present: true,
    up: (flags & IFF_UP) !== 0 && carrier,
    flags,
    addresses,
  };
  if (operstate !== undefined) state.operstate = operstate;
  return state;
}
