import { spawn, type ChildProcess } from "node:child_process";
import { CallStats, CollectorFailure } from "./collector.js";

/** What a finished child process printed and how it ended. */
export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationSeconds: number;
}

/** Output beyond this many bytes per stream is dropped. */
const MAX_OUTPUT_BYTES = 1 << 20;

/**
 * Runs one external program at a time, with a timeout. While a previous
 * child has not exited (even after SIGKILL, e.g. stuck in the kernel on a
 * dead device) no new one starts: `run` fails with reason `stuck`. Each
 * child gets its own process group so that a timeout kills what it
 * spawned too. Fails with {@link CollectorFailure} reasons
 * `missing_binary`, `timeout`, `stuck`, `error_exit` (non-zero exit; the
 * result is on `cause`).
 */
export class SingleFlightCommand {
  private outstanding: ChildProcess | undefined;

  constructor(private readonly stats: CallStats) {}

  /** Whether a child is still running or stuck. */
  get busy(): boolean {
    return this.outstanding !== undefined;
  }

  /** Runs `file`; `env` replaces the environment when given. */
  async run(
    file: string,
    args: readonly string[],
    timeoutSeconds: number,
    env?: NodeJS.ProcessEnv,
  ): Promise<CommandResult> {
    const what = `${file} ${args.join(" ")}`.trim();
    if (this.outstanding) {
      throw new CollectorFailure(
        "stuck",
        `run ${what}: the previous call has not returned; not starting another`,
      );
    }
    const result = await this.spawnBounded(
      file,
      args,
      timeoutSeconds,
      what,
      env,
    );
    if (result.exitCode !== 0) {
      throw new CollectorFailure(
        "error_exit",
        `run ${what}: exit ${result.exitCode ?? result.signal}: ` +
          result.stderr.trim().slice(0, 300),
        { cause: result },
      );
    }
    return result;
  }

  /** Kills a running child (agent shutdown). */
  kill(): void {
    if (this.outstanding?.pid !== undefined) killGroup(this.outstanding.pid);
  }

  private spawnBounded(
    file: string,
    args: readonly string[],
    timeoutSeconds: number,
    what: string,
    env: NodeJS.ProcessEnv | undefined,
  ): Promise<CommandResult> {
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      ...(env && { env }),
    });
    this.outstanding = child;
    const state = { timedOut: false, exited: false };
    child.once("exit", () => {
      state.exited = true;
      this.outstanding = undefined;
      if (state.timedOut) this.stats.stuck--;
    });
    child.once("error", () => {
      this.outstanding = undefined;
    });
    return this.settle(child, state, timeoutSeconds, what);
  }

  /** Resolves with the output, or rejects on spawn error or timeout. */
  private settle(
    child: ChildProcess,
    state: { timedOut: boolean; exited: boolean },
    timeoutSeconds: number,
    what: string,
  ): Promise<CommandResult> {
    const started = performance.now();
    const out = { stdout: "", stderr: "" };
    child.stdout?.on("data", (d: Buffer) => append(out, "stdout", d));
    child.stderr?.on("data", (d: Buffer) => append(out, "stderr", d));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        state.timedOut = true;
        this.stats.timeouts++;
        if (!state.exited) this.stats.stuck++;
        if (child.pid !== undefined) killGroup(child.pid);
        const msg = `run ${what}: no answer within ${timeoutSeconds} s; killed`;
        reject(new CollectorFailure("timeout", msg));
      }, timeoutSeconds * 1000);
      child.once("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const reason = err.code === "ENOENT" ? "missing_binary" : "spawn_error";
        const msg = `run ${what}: ${err.message}`;
        reject(new CollectorFailure(reason, msg, { cause: err }));
      });
      child.once("close", (exitCode, signal) => {
        clearTimeout(timer);
        if (state.timedOut) return;
        const durationSeconds = (performance.now() - started) / 1000;
        resolve({ exitCode, signal, ...out, durationSeconds });
      });
    });
  }
}

function append(
  out: { stdout: string; stderr: string },
  key: "stdout" | "stderr",
  data: Buffer,
): void {
  if (out[key].length < MAX_OUTPUT_BYTES) out[key] += data.toString("utf8");
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch (err) {
    // ESRCH: the group is already gone, which is what we wanted.
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}
