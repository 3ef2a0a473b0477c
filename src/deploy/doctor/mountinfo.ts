import { readFile } from "node:fs/promises";

/** One line of /proc/self/mountinfo, the fields doctor needs. */
export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
  /** Per-mount options, e.g. `rw,relatime`. */
  options: string;
}

/** Undoes the kernel's octal escapes (`\040` is a space). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) =>
    String.fromCharCode(parseInt(oct, 8)),
  );
}

/**
 * Parses mountinfo text; malformed lines are skipped (the kernel writes
 * it, so a bad line means a fixture typo, not a node problem).
 */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const dash = line.indexOf(" - ");
    if (dash < 0) continue;
    const before = line.slice(0, dash).split(" ");
    const after = line.slice(dash + 3).split(" ");
    if (before.length < 6 || after.length < 2) continue;
    entries.push({
      mountPoint: unescape(before[4]!),
      options: before[5]!,
      fsType: after[0]!,
      source: unescape(after[1]!),
    });
  }
  return entries;
}

/**
 * Reads the mount table. Reading mountinfo never touches a mounted file
 * system, so it is safe while a share hangs.
 */
export async function readMounts(file: string): Promise<MountEntry[]> {
  return parseMountinfo(await readFile(file, "utf8"));
}

/**
 * The mount holding `target`: the longest mount point that is `target`
 * or one of its parents; the last such line wins (mounts stack).
 */
export function containingMount(
  mounts: readonly MountEntry[],
  target: string,
): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const inside =
      target === m.mountPoint ||
      m.mountPoint === "/" ||
      target.startsWith(
        m.mountPoint.endsWith("/") ? m.mountPoint : `${m.mountPoint}/`,
      );
    if (!inside) continue;
    if (!best || m.mountPoint.length >= best.mountPoint.length) best = m;
  }
  return best;
}
