import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** Debian's Prometheus binary; overridable for other installs. */
export const PROMETHEUS_BIN = process.env.FARMWATCH_PROMETHEUS ?? "prometheus";

/** One sample vector element of an instant query. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** What `GET /api/v1/query` answered, `data` flattened to its vector. */
export interface PromQueryResult {
  resultType: string;
  /** Vector elements; a scalar or string result gives one element. */
  samples: PromSample[];
}

/** A Prometheus server started by {@link startPrometheus}. */
export interface RunningPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The temp directory holding config, rules and storage. */
  dir: string;
  /** Instant query; rejects with Prometheus' own error text. */
  query(expr: string): Promise<PromQueryResult>;
  /** `GET <path>` under `/api/v1/`, the parsed `data` field. */
  api(pathAndQuery: string): Promise<unknown>;
  /** Everything Prometheus wrote to stdout and stderr so far. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes `dir`. */
  stop(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** prometheus.yml content; `rule_files` may name files in `files`. */
  config: string;
  /** Extra files written beside the config, by relative path. */
  files?: Record<string, string>;
  /** Give up waiting for `/-/ready` after this; default 60 000 ms. */
  readyTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (bound once, then released). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Prometheus on 127.0.0.1 at a free port with a temp storage dir and
 * the given config, and resolves once `/-/ready` answers 200. On failure
 * the process is killed, the dir removed, and the error carries its log.
 */
export async function startPrometheus(
  options: StartPrometheusOptions,
): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), "fw-prom-"));
  await writeFiles(dir, {
    "prometheus.yml": options.config,
    ...options.files,
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = collectOutput(child);
  const stop = () => stopChild(child, dir);

  try {
    await waitReady(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw new Error(`start prometheus: ${String(err)}\n${output()}`);
  }
  return {
    url,
    dir,
    query: (expr) => query(url, expr),
    api: (p) => getData(`${url}/api/v1/${p}`),
    log: output,
    stop,
  };
}

/** Writes files under `dir` by relative path, creating directories. */
async function writeFiles(
  dir: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/** Everything a child writes to stdout and stderr, read on demand. */
export function collectOutput(child: ChildProcess): () => string {
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return () => output;
}

async function waitReady(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`exited with code ${child.exitCode}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return;
    } catch {
      // Not listening yet: the loop retries until the deadline.
    }
    await sleep(200);
  }
  throw new Error(`not ready at ${url} after ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  await stopProcess(child);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Ends a child process: SIGTERM, then SIGKILL after `graceMs`; resolves
 * once it has exited (at once if it already had).
 */
export async function stopProcess(
  child: ChildProcess,
  graceMs = 5_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

async function getData(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as {
    status: string;
    data?: unknown;
    errorType?: string;
    error?: string;
  };
  if (body.status !== "success") {
    throw new Error(`${url}: ${body.errorType}: ${body.error}`);
  }
  return body.data;
}

/** Instant query against `url`; see {@link RunningPrometheus.query}. */
export async function query(
  url: string,
  expr: string,
): Promise<PromQueryResult> {
  const q = new URLSearchParams({ query: expr });
  const data = (await getData(`${url}/api/v1/query?${q}`)) as {
    resultType: string;
    result: PromSample[] | [number, string];
  };
  const samples =
    data.resultType === "vector" || data.resultType === "matrix"
      ? (data.result as PromSample[])
      : [{ metric: {}, value: data.result as [number, string] }];
  return { resultType: data.resultType, samples };
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than
 * undefined, or throws after `timeoutMs` with `what` and the last error.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, {
    cause: last,
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
