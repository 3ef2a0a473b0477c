import { unescapeMountField } from "./mountinfo.js";

/** One line of /etc/fstab. */
export interface FstabEntry {
  source: string;
  mountpoint: string;
  fstype: string;
  options: string[];
  /** `x-systemd.automount`: mounted on first access, not at boot. */
  automount: boolean;
  /** `noauto` without automount: only mounted by hand. */
  manual: boolean;
}

/** Parses fstab(5); comments, blank and short lines are skipped. */
export function parseFstab(text: string): FstabEntry[] {
  const out: FstabEntry[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    const f = line.split(/\s+/);
    if (f.length < 3) continue;
    const options = (f[3] ?? "defaults").split(",");
    const automount = options.includes("x-systemd.automount");
    out.push({
      source: unescapeMountField(f[0]!),
      mountpoint: unescapeMountField(f[1]!),
      fstype: f[2]!,
      options,
      automount,
      manual: options.includes("noauto") && !automount,
    });
  }
  return out;
}
