import type { Dispatcher } from "undici";
import { FlamencoApiError } from "../errors.js";
import { Limiter } from "./limit.js";
import * as parse from "./parse.js";
import { createDispatcher, exchange, type RequestRecord } from "./request.js";
import type {
  FarmStatusReport,
  FlamencoVersion,
  Job,
  JobBlocklistEntry,
  JobStatusChange,
  Task,
  TaskStatusChange,
  TaskSummary,
  Worker,
  WorkerSummary,
} from "./types.js";
import type { ValidationIssue } from "./validate.js";

export type { RequestRecord } from "./request.js";
export type { ValidationIssue } from "./validate.js";

/** Options for {@link FlamencoClient}. */
export interface FlamencoClientOptions {
  /** Manager base URL, e.g. `http://manager:8080`. */
  baseUrl: string;
  /** Per-request limit, connect to last body byte; never undici's 300 s. */
  timeoutSeconds: number;
  /** Requests in flight at once (and sockets in the pool); default 4. */
  maxConcurrentRequests?: number;
  /** Called after every request, for metrics. */
  onRequest?: (record: RequestRecord) => void;
  /**
   * Called for every answer that did not match the spec (including
   * malformed JSON), with the route template; for metrics and logs.
   */
  onIssues?: (endpoint: string, issues: readonly ValidationIssue[]) => void;
}

/** An answer of the Manager with what the caller needs besides the body. */
export interface ApiAnswer<T> {
  body: T;
  status: number;
  /** The Manager's own clock, from its `Date` header. */
  serverDate: Date | undefined;
  /** Where the answer did not match the spec; the body is repaired. */
  issues: ValidationIssue[];
  bytes: number;
  durationSeconds: number;
}

type Parser<T> = (body: unknown, issues: ValidationIssue[]) => T | undefined;

/** First Manager version with `GET /api/v3/jobs`; older ones only query. */
const FIRST_VERSION_WITH_JOB_LIST = [3, 6];

/** Whether a Manager's short version predates `GET /api/v3/jobs`. */
export function versionNeedsJobsQuery(shortversion: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(shortversion);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [fMajor, fMinor] = FIRST_VERSION_WITH_JOB_LIST as [number, number];
  return major < fMajor || (major === fMajor && minor < fMinor);
}

const enc = encodeURIComponent;

/**
 * A client for the Flamenco Manager API v3. Every answer is validated
 * against the spec's shapes; requests are bounded in time and number.
 * Throws FlamencoApiError (error status; `FW_MANAGER_MALFORMED` for a body
 * that is not JSON or not the expected shape at all) or
 * FlamencoUnreachableError. Call {@link close} when done.
 */
export class FlamencoClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly limiter: Limiter;
  private readonly dispatcher: Dispatcher;
  private readonly onRequest: (record: RequestRecord) => void;
  private readonly onIssues: NonNullable<FlamencoClientOptions["onIssues"]>;
  /** Decided by {@link getVersion} or by a 404/405 on `GET /jobs`. */
  private useJobsQuery = false;
  private closed = false;

  constructor(options: FlamencoClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutSeconds * 1000;
    const max = options.maxConcurrentRequests ?? 4;
    this.limiter = new Limiter(max);
    this.dispatcher = createDispatcher(this.timeoutMs, max);
    this.onRequest = options.onRequest ?? (() => undefined);
    this.onIssues = options.onIssues ?? (() => undefined);
  }

  /** Whether job listing uses `POST /api/v3/jobs/query` (Manager <= 3.5). */
  get usesJobsQuery(): boolean {
    return this.useJobsQuery;
  }

  /** Closes the connection pool; later calls do nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dispatcher.close();
  }

  /** Sends one request; the body is parsed JSON, text, or undefined. */
  async call<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
    endpoint: string = path,
  ): Promise<ApiAnswer<T>> {
    return this.limiter.run(async () => {
      const url = `${this.baseUrl}${path}`;
      const raw = await exchange(
        this.dispatcher,
        this.timeoutMs,
        { method, url, endpoint, body },
        this.onRequest,
      );
      const answer = { ...raw, issues: [] as ValidationIssue[] };
      if (raw.status === 204 || raw.text === "") {
        return { ...answer, body: undefined as T };
      }
      if (!raw.contentType.includes("json")) {
        return { ...answer, body: raw.text as T };
      }
      try {
        return { ...answer, body: JSON.parse(raw.text) as T };
      } catch (err) {
        const detail = raw.text.slice(0, 60);
        this.onIssues(endpoint, [{ kind: "malformed_json", path: "", detail }]);
        throw malformed(`${method} ${url}`, raw.status, err);
      }
    });
  }

  private async get<T>(
    path: string,
    endpoint: string,
    parser: Parser<T>,
    method: "GET" | "POST" = "GET",
    body?: unknown,
  ): Promise<ApiAnswer<T>> {
    const answer = await this.call<unknown>(method, path, body, endpoint);
    const value = parser(answer.body, answer.issues);
    if (answer.issues.length > 0) this.onIssues(endpoint, answer.issues);
    if (value === undefined) {
      throw malformed(`${method} ${this.baseUrl}${path}`, answer.status);
    }
    return { ...answer, body: value };
  }

  /** `GET /api/v3/version`; also decides how jobs are listed. */
  async getVersion(): Promise<ApiAnswer<FlamencoVersion>> {
    const path = "/api/v3/version";
    const answer = await this.get(path, path, parse.parseVersion);
    this.useJobsQuery = versionNeedsJobsQuery(answer.body.shortversion);
    return answer;
  }

  /** `GET /api/v3/status`: the farm status. */
  getStatus(): Promise<ApiAnswer<FarmStatusReport>> {
    const path = "/api/v3/status";
    return this.get(path, path, parse.parseFarmStatus);
  }

  /**
   * Every job: `GET /api/v3/jobs`, or `POST /api/v3/jobs/query` on
   * Managers up to 3.5 (known from {@link getVersion}, or learnt from a
   * 404/405 answer to the former).
   */
  async listJobs(): Promise<ApiAnswer<Job[]>> {
    if (this.useJobsQuery) return this.queryJobs();
    try {
      const path = "/api/v3/jobs";
      return await this.get(path, path, (b, i) => parse.parseJobs(b, i));
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (!(err instanceof FlamencoApiError) || ![404, 405].includes(status!)) {
        throw err;
      }
      this.useJobsQuery = true;
      return this.queryJobs();
    }
  }

  private queryJobs(): Promise<ApiAnswer<Job[]>> {
    const path = "/api/v3/jobs/query";
    return this.get(path, path, (b, i) => parse.parseJobs(b, i), "POST", {});
  }

  /** `GET /api/v3/jobs/{id}`. */
  getJob(id: string): Promise<ApiAnswer<Job>> {
    const path = `/api/v3/jobs/${enc(id)}`;
    return this.get(path, "/api/v3/jobs/{job_id}", parse.parseJob);
  }

  /** `GET /api/v3/jobs/{id}/tasks`: every task of the job, summarised. */
  getJobTasks(id: string): Promise<ApiAnswer<TaskSummary[]>> {
    const path = `/api/v3/jobs/${enc(id)}/tasks`;
    return this.get(path, "/api/v3/jobs/{job_id}/tasks", parse.parseTasks);
  }

  /** `GET /api/v3/jobs/{id}/blocklist`. */
  getJobBlocklist(id: string): Promise<ApiAnswer<JobBlocklistEntry[]>> {
    const path = `/api/v3/jobs/${enc(id)}/blocklist`;
    const endpoint = "/api/v3/jobs/{job_id}/blocklist";
    return this.get(path, endpoint, parse.parseBlocklist);
  }

  /** `GET /api/v3/tasks/{id}`. */
  getTask(id: string): Promise<ApiAnswer<Task>> {
    const path = `/api/v3/tasks/${enc(id)}`;
    return this.get(path, "/api/v3/tasks/{task_id}", parse.parseTask);
  }

  /** `GET /api/v3/tasks/{id}/logtail`: its last lines; [] when no log. */
  async getTaskLogTail(id: string): Promise<ApiAnswer<string[]>> {
    const path = `/api/v3/tasks/${enc(id)}/logtail`;
    const answer = await this.call<unknown>(
      "GET",
      path,
      undefined,
      "/api/v3/tasks/{task_id}/logtail",
    );
    const text = typeof answer.body === "string" ? answer.body : "";
    const lines = text.split(/\r?\n/).filter((l) => l !== "");
    return { ...answer, body: lines };
  }

  /** `POST /api/v3/jobs/{id}/setstatus`; 204 on success. */
  setJobStatus(
    id: string,
    change: JobStatusChange,
  ): Promise<ApiAnswer<undefined>> {
    const path = `/api/v3/jobs/${enc(id)}/setstatus`;
    const endpoint = "/api/v3/jobs/{job_id}/setstatus";
    return this.call("POST", path, change, endpoint);
  }

  /** `POST /api/v3/tasks/{id}/setstatus`; 204 on success. */
  setTaskStatus(
    id: string,
    change: TaskStatusChange,
  ): Promise<ApiAnswer<undefined>> {
    const path = `/api/v3/tasks/${enc(id)}/setstatus`;
    const endpoint = "/api/v3/tasks/{task_id}/setstatus";
    return this.call("POST", path, change, endpoint);
  }

  /** `GET /api/v3/worker-mgt/workers`. */
  listWorkers(): Promise<ApiAnswer<WorkerSummary[]>> {
    const path = "/api/v3/worker-mgt/workers";
    return this.get(path, path, (b, i) => parse.parseWorkers(b, i));
  }

  /** `GET /api/v3/worker-mgt/workers/{id}`: address, platform, task. */
  getWorker(id: string): Promise<ApiAnswer<Worker>> {
    const path = `/api/v3/worker-mgt/workers/${enc(id)}`;
    const endpoint = "/api/v3/worker-mgt/workers/{worker_id}";
    return this.get(path, endpoint, parse.parseWorker);
  }
}

function malformed(
  what: string,
  status: number,
  cause?: unknown,
): FlamencoApiError {
  const detail = cause === undefined ? "unexpected shape" : "malformed JSON";
  return new FlamencoApiError(
    "FW_MANAGER_MALFORMED",
    `${what}: ${detail}`,
    status,
    { cause },
  );
}
