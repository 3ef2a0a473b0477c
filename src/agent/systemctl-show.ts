/** Properties asked of `systemctl show`. */
export const UNIT_PROPERTIES = [
  "LoadState",
  "ActiveState",
  "SubState",
  "NRestarts",
  "ExecMainStatus",
  "ExecStart",
];

/** Output of systemctl meaning there is no systemd to ask. */
export const NO_SYSTEMD =
  /not been booted with systemd|Failed to connect to bus|System has not been booted/i;

/** Parses `systemctl show` output (`Key=Value` lines). */
export function parseSystemctlShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  return out;
}

/** The binary of an `ExecStart={ path=/x/y ; argv[]=... }` property. */
export function execStartPath(
  execStart: string | undefined,
): string | undefined {
  return /path=([^ ;]+)/.exec(execStart ?? "")?.[1];
}
