import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

/** Where Debian's systemd package puts systemd-analyze. */
export const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";

/** Whether systemd-analyze can be run here. */
export const HAVE_SYSTEMD_ANALYZE = existsSync(SYSTEMD_ANALYZE);

/** The verdict of `systemd-analyze verify` on one unit. */
export interface VerifyResult {
  /** Exit 0 and nothing on stderr: systemd would load it as written. */
  clean: boolean;
  output: string;
}

/**
 * Verifies a unit file offline: no man page lookups, drop-ins taken from
 * `unitDir` only (SYSTEMD_UNIT_PATH), so neither PID 1 nor the machine's
 * units are involved. systemd-analyze exits 0 on an unknown directive and
 * only warns on stderr, so any stderr output counts as a failure.
 */
export function verifyUnit(
  unitDir: string,
  file: string,
): Promise<VerifyResult> {
  return new Promise((resolve) => {
    execFile(
      SYSTEMD_ANALYZE,
      ["verify", "--man=no", "--recursive-errors=no", file],
      {
        cwd: unitDir,
        env: { PATH: "/usr/bin:/bin", SYSTEMD_UNIT_PATH: `${unitDir}:` },
        timeout: 20_000,
      },
      (err, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        resolve({ clean: err === null && stderr.trim() === "", output });
      },
    );
  });
}
