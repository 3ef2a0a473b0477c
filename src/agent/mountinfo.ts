/** One line of /proc/self/mountinfo. */
export interface MountEntry {
  mountpoint: string;
  fstype: string;
  /** e.g. `nas01:/export/render`. */
  source: string;
  /** Per-mount options (`rw`, `relatime`, ...). */
  mountOptions: string[];
  /** Superblock options (`vers=4.2`, `hard`, `addr=...`, ...). */
  superOptions: string[];
}

/** File system types the agent watches by default. */
export const NETWORK_FSTYPES = new Set(["nfs", "nfs4", "cifs", "smb3"]);

/** Undoes the kernel's octal escapes (`\040` is a space). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) =>
    String.fromCharCode(parseInt(oct, 8)),
  );
}

/**
 * Parses /proc/self/mountinfo (proc(5)): fields up to the `-` separator,
 * then type, source and super options. Unreadable lines are skipped.
 */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.trim().split(" ");
    const sep = fields.indexOf("-");
    if (sep < 6 || fields.length < sep + 3) continue;
    out.push({
      mountpoint: unescapeMountField(fields[4]!),
      mountOptions: fields[5]!.split(","),
      fstype: fields[sep + 1]!,
      source: unescapeMountField(fields[sep + 2]!),
      superOptions: (fields[sep + 3] ?? "").split(",").filter(Boolean),
    });
  }
  return out;
}

/** Value of `key=value` in an option list. */
export function optionValue(
  options: readonly string[],
  key: string,
): string | undefined {
  const hit = options.find((o) => o.startsWith(`${key}=`));
  return hit?.slice(key.length + 1);
}

/** Whether an IPv4 or IPv6 address lies in Tailscale's ranges. */
export function isTailnetAddress(address: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(address);
  if (v4) return Number(v4[1]) === 100 && (Number(v4[2]) & 0xc0) === 64;
  return address.toLowerCase().startsWith("fd7a:115c:a1e0:");
}

/** The server address of a network mount (`addr=`), if given. */
export function serverAddress(entry: MountEntry): string | undefined {
  return optionValue(entry.superOptions, "addr");
}
