import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { underRoot } from "./paths.js";
import type { CommandRunner } from "./system.js";

/** One step of an install or uninstall, with target-absolute paths. */
export type Action =
  | { kind: "write"; path: string; content: string; mode: number }
  | { kind: "remove"; path: string }
  | { kind: "link"; path: string; target: string }
  | { kind: "run"; argv: string[] }
  | { kind: "note"; text: string };

/** Whether the file at `file` already holds exactly `content`. */
export function sameContent(file: string, content: string): boolean {
  try {
    return readFileSync(file, "utf8") === content;
  } catch {
    // Absent or unreadable: either way it has to be written.
    return false;
  }
}

/** Whether something (file, dir or dangling link) exists at `file`. */
export function present(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
}

/** The line printed for an action, with paths as on the target. */
export function describeAction(action: Action): string {
  const where = (p: string) => p;
  switch (action.kind) {
    case "write":
      return `write ${where(action.path)}`;
    case "remove":
      return `remove ${where(action.path)}`;
    case "link":
      return `link ${where(action.path)} -> ${action.target}`;
    case "run":
      return `run ${action.argv.join(" ")}`;
    case "note":
      return action.text;
  }
}

const COMMAND_TIMEOUT_MS = 120_000;

/**
 * Carries out one action below `root`. Commands run only when `live`;
 * otherwise the caller prints them for the target system to run.
 * Throws an Error naming the step when it fails.
 */
export async function applyAction(
  action: Action,
  root: string,
  live: boolean,
  run: CommandRunner,
): Promise<void> {
  const at = (p: string) => underRoot(root, p);
  switch (action.kind) {
    case "write": {
      const file = at(action.path);
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.farmwatch-new`;
      writeFileSync(tmp, action.content, { mode: action.mode });
      chmodSync(tmp, action.mode);
      renameSync(tmp, file);
      return;
    }
    case "remove":
      rmSync(at(action.path), { recursive: true, force: true });
      return;
    case "link":
      mkdirSync(path.dirname(at(action.path)), { recursive: true });
      symlinkSync(action.target, at(action.path));
      return;
    case "run":
      if (live) await runOrThrow(action.argv, run);
      return;
    case "note":
      return;
  }
}

async function runOrThrow(
  argv: readonly string[],
  run: CommandRunner,
): Promise<void> {
  const result = await run(argv, { timeoutMs: COMMAND_TIMEOUT_MS });
  if (result.code === 0) return;
  const why = result.timedOut
    ? "timed out"
    : (result.spawnError ?? `exit ${String(result.code)}`);
  const detail = result.stderr.trim().split("\n")[0] ?? "";
  throw new Error(
    `run ${argv.join(" ")}: ${why}${detail ? `: ${detail}` : ""}`,
  );
}
