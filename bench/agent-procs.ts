import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";

/** CPU ticks per second of /proc/<pid>/stat (USER_HZ on Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process and its live children, in seconds. */
export function cpuSeconds(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return sum + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // The child exited between listing and reading: nothing to add.
      return sum;
    }
  }, 0);
}

/** Resident memory of a process and its live children, in bytes. */
export function rssBytes(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      return sum + Number(kb ?? 0) * 1024;
    } catch {
      // The child exited between listing and reading: nothing to add.
      return sum;
    }
  }, 0);
}

function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8");
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // The process is gone: no children to count.
    return [];
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** GETs `url`; resolves with the milliseconds until the body ended. */
export function timedGet(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once("end", () => resolve(performance.now() - started));
    });
    req.once("timeout", () => req.destroy(new Error(`timeout ${url}`)));
    req.once("error", reject);
  });
}

/** Polls `url` until it answers 200 or `timeoutMs` passes. */
export async function waitUp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      await timedGet(url, 1_000);
      return;
    } catch {
      // Not listening yet; try again shortly.
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/** Starts a process in its own group; `stop` kills the group. */
export function startProcess(
  cmd: string,
  args: string[],
  cwd?: string,
): { child: ChildProcess; stop: () => void } {
  const child = spawn(cmd, args, {
    cwd,
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  return {
    child,
    stop() {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone: nothing left to kill.
      }
    },
  };
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, rank)]!;
}
