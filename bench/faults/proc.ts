import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { farmwatchCommand } from "../../test/support/cli.js";

/** A farmwatch part running in a child process. */
export interface PartProcess {
  name: string;
  child: ChildProcess;
  /** Exit code or signal once it ended; undefined while it runs. */
  exit: { code: number | null; signal: string | null } | undefined;
  /** The last lines of its stderr and stdout, for failure reports. */
  tail(): string;
  /** Whether it was stopped by the suite (not a crash). */
  stoppedOnPurpose: boolean;
}

const TAIL_LINES = 40;

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Every process the suite started, so cleanup can reach them all. */
export const STARTED = new Set<PartProcess>();

/**
 * Starts `farmwatch <args>` from source in a child process with `env`
 * added to the suite's environment.
 */
export function startPart(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): PartProcess {
  const [node, argv] = farmwatchCommand(args);
  const child = spawn(node, argv, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const part: PartProcess = {
    name,
    child,
    exit: undefined,
    tail: () => lines.join("\n"),
    stoppedOnPurpose: false,
  };
  child.once("exit", (code, signal) => {
    part.exit = { code, signal };
  });
  STARTED.add(part);
  return part;
}

/** Resolves with the exit code once the child ended, or after `ms`. */
export function waitExit(
  part: PartProcess,
  ms: number,
): Promise<number | null | "running"> {
  if (part.exit) return Promise.resolve(part.exit.code);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("running"), ms);
    part.child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Stops a part: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopPart(
  part: PartProcess,
  graceMs = 5000,
): Promise<void> {
  part.stoppedOnPurpose = true;
  if (part.exit) return;
  part.child.kill("SIGTERM");
  if ((await waitExit(part, graceMs)) === "running") {
    part.child.kill("SIGKILL");
    await waitExit(part, 2000);
  }
  STARTED.delete(part);
}

/** Kills a part with SIGKILL at once, as a power cut or OOM kill would. */
export async function killPart(part: PartProcess): Promise<void> {
  part.stoppedOnPurpose = true;
  if (part.exit) return;
  part.child.kill("SIGKILL");
  await waitExit(part, 5000);
  STARTED.delete(part);
}

/** Stops every process still running; used on the way out, also on error. */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...STARTED].map((p) => stopPart(p, 3000)));
}
