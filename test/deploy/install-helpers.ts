import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "../../src/cli/args.js";
import {
  runInstall,
  runUninstall,
  type Host,
  type Output,
} from "../../src/deploy/install.js";
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
  /** User name to uid. */
  users: Map<string, number>;
  enabled: Set<string>;
  dispose(): void;
}

/** Builds a {@link FakeHost}; `systemd: false` leaves out /run/systemd. */
export function fakeHost(
  options: { systemd?: boolean; failOn?: string } = {},
): FakeHost {
  const base = mkdtempSync(path.join(os.tmpdir(), "fw-host-"));
  const fsRoot = path.join(base, "fs");
  const users = new Map<string, number>();
  const enabled = new Set<string>();
  const commands: string[] = [];
  const run = fakeCommands(users, enabled, commands, options.failOn);
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

/** getent, useradd, userdel and systemctl over the sets given. */
function fakeCommands(
  users: Map<string, number>,
  enabled: Set<string>,
  commands: string[],
  failOn: string | undefined,
) {
  const ok = (yes: boolean): CommandResult => ({
    code: yes ? 0 : 1,
    stdout: "",
    stderr: "",
    timedOut: false,
  });
  const run = async (argv: readonly string[]): Promise<CommandResult> => {
    commands.push(argv.join(" "));
    if (argv.join(" ") === failOn) {
      return { code: 1, stdout: "", stderr: "Failed: boom\n", timedOut: false };
    }
    const [cmd, ...rest] = argv;
    const last = rest[rest.length - 1] ?? "";
    if (cmd === "getent") {
      const uid = users.get(last);
      if (uid === undefined) return ok(false);
      return { ...ok(true), stdout: `${last}:x:${uid}:${uid}::/:/bin/false\n` };
    }
    if (cmd === "useradd") {
      const at = rest.indexOf("--uid");
      users.set(last, at >= 0 ? Number(rest[at + 1]) : 999);
      return ok(true);
    }
    if (cmd === "userdel") return ok(users.delete(last));
    if (cmd !== "systemctl") return ok(true);
    if (rest[0] === "is-enabled" || rest[0] === "is-active") {
      return ok(enabled.has(last));
    }
    if (rest[0] === "enable") enabled.add(last);
    if (rest[0] === "disable") enabled.delete(last);
    return ok(true);
  };
  return run;
}

/** `--manager-url` for tests: a loopback address, never contacted. */
export const URL_FLAG = "--manager-url http://127.0.0.1:8080";
/** Where units go on the target. */
export const UNITS = "/etc/systemd/system";
/** The installed config on the target. */
export const CONFIG = "/etc/farmwatch/farmwatch.yaml";

/** Runs `farmwatch install|uninstall ...` against a fake host. */
export async function cli(line: string, host: Host) {
  const out = captureOutput();
  const parsed = args(line);
  const run = parsed.command === "install" ? runInstall : runUninstall;
  const code = await run(parsed, out, host);
  return { code, text: out.text() };
}

/** Every path below `dir`, sorted; [] when it does not exist. */
export function tree(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
  } catch {
    return [];
  }
}

/** Reads target path `p` below `base`. */
export function read(base: string, p: string): string {
  return readFileSync(path.join(base, p), "utf8");
}
