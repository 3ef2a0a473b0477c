import { spawn } from "node:child_process";

/** What a write probe of a share found. */
export interface ProbeResult {
  outcome:
    | "ok"
    | "missing"
    | "not_directory"
    | "readonly"
    | "permission"
    | "stale"
    | "hung"
    | "error";
  /** The errno code when a step failed with one, e.g. `EROFS`. */
  code?: string;
  /** The step that failed. */
  step?: "stat" | "write" | "read" | "remove";
}

/** Options of one probe. */
export interface ProbeOptions {
  /** Name of the per-host file written and removed again. */
  fileName: string;
  /** After this the child is killed and the share reported hung. */
  timeoutMs: number;
  /** Run the probe as this user (needs root); default this process's. */
  uid?: number;
  gid?: number;
}

/** Probes a directory on a share for existence and writability. */
export type ShareProbe = (
  dir: string,
  options: ProbeOptions,
) => Promise<ProbeResult>;

// Runs in the child: every call that may block on a hung share happens
// there, so the doctor itself never waits in the kernel.
const CHILD = `
const fs = require("node:fs");
const path = require("node:path");
const [dir, name] = process.argv.slice(1);
const say = (r) => process.stdout.write(JSON.stringify(r));
let step = "stat";
(() => { try {
  if (!fs.statSync(dir).isDirectory()) {
    say({ outcome: "not_directory" });
    return;
  }
  const file = path.join(dir, name);
  step = "write";
  const fd = fs.openSync(file, "w", 0o644);
  fs.writeSync(fd, "farmwatch doctor write probe\\n");
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  step = "read";
  fs.readFileSync(file);
  step = "remove";
  fs.unlinkSync(file);
  say({ outcome: "ok" });
} catch (err) {
  say({ outcome: "error", code: err.code, step });
} })();
`;

const OUTCOME_BY_CODE: Record<string, ProbeResult["outcome"]> = {
  ENOENT: "missing",
  ENOTDIR: "missing",
  EROFS: "readonly",
  EACCES: "permission",
  EPERM: "permission",
  ESTALE: "stale",
};

/**
 * Probes in a child process with a hard timeout. A child stuck in the
 * kernel on a hard-mounted share cannot be reaped; it is killed, left
 * behind unreferenced, and the share is reported `hung`.
 */
export const probeShare: ShareProbe = (dir, options) =>
  new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["-e", CHILD, dir, options.fileName],
      {
        stdio: ["ignore", "pipe", "ignore"],
        env: {},
        ...(options.uid !== undefined ? { uid: options.uid } : {}),
        ...(options.gid !== undefined ? { gid: options.gid } : {}),
      },
    );
    let out = "";
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      child.stdout.destroy();
      child.unref();
      finish({ outcome: "hung" });
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", (err: NodeJS.ErrnoException) =>
      finish({ outcome: "error", ...(err.code ? { code: err.code } : {}) }),
    );
    child.on("close", () => finish(interpret(out)));
  });

function interpret(out: string): ProbeResult {
  let raw: ProbeResult;
  try {
    raw = JSON.parse(out) as ProbeResult;
  } catch {
    // The child died before answering (killed, out of memory).
    return { outcome: "error" };
  }
  if (raw.outcome !== "error" || raw.code === undefined) return raw;
  const outcome = OUTCOME_BY_CODE[raw.code] ?? "error";
  return { ...raw, outcome };
}
