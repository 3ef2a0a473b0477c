import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A temp directory of fake programs (`nvidia-smi`, `tailscale`,
 * `systemctl`, ...) written as small sh scripts. Each call to a fake is
 * appended to `calls.log` in the directory, so tests can count processes.
 */
export class FakeBin {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "fw-fakebin-"));
  readonly callsLog = path.join(this.dir, "calls.log");

  /** Writes `name` running the sh `body`; returns its absolute path. */
  write(name: string, body: string): string {
    const file = path.join(this.dir, name);
    const script =
      "#!/bin/sh\n" +
      // The fake's own tools, whatever PATH the test gives the agent.
      "PATH=/usr/bin:/bin\n" +
      `echo "${name} $*" >> '${this.callsLog}'\n` +
      body +
      "\n";
    writeFileSync(file, script);
    chmodSync(file, 0o755);
    return file;
  }

  /** A fake that prints a file's content and exits with `code`. */
  printing(name: string, fixture: string, code = 0): string {
    return this.write(name, `cat '${fixture}'\nexit ${code}`);
  }

  /** A fake that prints nothing and sleeps far longer than any timeout. */
  hanging(name: string): string {
    return this.write(name, "exec sleep 600");
  }

  /** A fake that writes `stderr` and exits with `code`. */
  failing(name: string, stderr: string, code = 1): string {
    const quoted = stderr.replace(/'/g, "'\\''");
    return this.write(name, `echo '${quoted}' >&2\nexit ${code}`);
  }

  /** Lines of calls.log (one per run of any fake). */
  calls(): string[] {
    try {
      const text = readFileSync(this.callsLog, "utf8");
      return text.split("\n").filter((l) => l !== "");
    } catch {
      // No fake has run yet: no log file.
      return [];
    }
  }

  /** Removes the directory. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
