import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "../../src/cli/args.js";
import type { Host, Output } from "../../src/deploy/install.js";
import type { CommandResult } from "../../src/deploy/system.js";

/** Output captured line by line. */
export function captureOutput(): Output & { lines: string[]; text(): string } {
  const lines: string[] = [];
  return {
    lines,
    out: (line) => lines.push(...line.split("\n")),
    err: (line) => lines.push(...line.split("\n")),
    text: () => lines.join("\n"),
  };
}

/**
 * A live host in miniature: files under a temp `fsRoot`, and a fake
 * getent/useradd/systemctl that remembers users and enabled units, so a
 * second install sees what the first did. Every command is recorded.
 */
export interface FakeHost extends Host {
  commands: string[];
  users: Set<string>;
  enabled: Set<string>;
  dispose(): void;
}

/** Builds a {@link FakeHost}; `systemd: false` leaves out /run/systemd. */
export function fakeHost(
  options: { systemd?: boolean; failOn?: string } = {},
): FakeHost {
  const base = mkdtempSync(path.join(os.tmpdir(), "fw-host-"));
  const fsRoot = path.join(base, "fs");
  const users = new Set<string>();
  const enabled = new Set<string>();
  const commands: string[] = [];
  const ok = (yes: boolean): CommandResult => ({
    code: yes ? 0 : 1,
    stdout: "",
    stderr: "",
    timedOut: false,
  });
  const run = async (argv: readonly string[]): Promise<CommandResult> => {
    commands.push(argv.join(" "));
    if (argv.join(" ") === options.failOn) {
      return { code: 1, stdout: "", stderr: "Failed: boom\n", timedOut: false };
    }
    const [cmd, ...rest] = argv;
    const last = rest[rest.length - 1] ?? "";
    if (cmd === "getent") return ok(users.has(last));
    if (cmd === "useradd") return ok(!!users.add(last));
    if (cmd === "userdel") return ok(users.delete(last));
    if (cmd !== "systemctl") return ok(true);
    if (rest[0] === "is-enabled" || rest[0] === "is-active") {
      return ok(enabled.has(last));
    }
    if (rest[0] === "enable") enabled.add(last);
    if (rest[0] === "disable") enabled.delete(last);
    return ok(true);
  };
  return {
    systemdRunDir: options.systemd === false ? path.join(base, "none") : base,
    isSuperuser: true,
    run,
    fsRoot,
    commands,
    users,
    enabled,
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Parses a farmwatch command line as the CLI does. */
export function args(line: string) {
  return parseArgs(line.split(" ").filter(Boolean));
}
