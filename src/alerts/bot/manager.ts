import {
  FlamencoApiError,
  FlamencoUnreachableError,
} from "../../shared/errors.js";
import type { FlamencoClient } from "../../shared/flamenco/client.js";

/** The fields of a job the bot uses (`GET /api/v3/jobs/{id}`). */
export interface ManagerJob {
  id: string;
  name: string;
  status: string;
  type?: string;
  updated?: string;
}

/** The fields of a task the bot uses (`GET /api/v3/jobs/{id}/tasks`). */
export interface ManagerTask {
  id: string;
  name: string;
  status: string;
  worker?: { id: string; name: string };
}

const enc = encodeURIComponent;

/**
 * The Manager calls the bot makes, each bounded by `timeoutMs` on top of
 * the client's own limit, so a command never waits longer than that.
 * Throws FlamencoApiError or FlamencoUnreachableError (code
 * `FW_BOT_MANAGER_TIMEOUT` when the bound hit).
 */
export class ManagerOps {
  constructor(
    private readonly client: FlamencoClient,
    readonly timeoutMs: number,
  ) {}

  /** `GET /api/v3/jobs/{id}`. */
  async getJob(id: string): Promise<ManagerJob> {
    const path = `/api/v3/jobs/${enc(id)}`;
    return (await this.bounded<ManagerJob>("GET", path)).body;
  }

  /** `GET /api/v3/jobs/{id}/tasks`: every task of the job, summarised. */
  async getJobTasks(id: string): Promise<ManagerTask[]> {
    const path = `/api/v3/jobs/${enc(id)}/tasks`;
    const answer = await this.bounded<{ tasks?: ManagerTask[] }>("GET", path);
    return answer.body?.tasks ?? [];
  }

  /** Every job (`GET /api/v3/jobs`), when the farm view is missing. */
  async listJobs(): Promise<ManagerJob[]> {
    const answer = await this.bounded<{ jobs?: ManagerJob[] }>(
      "GET",
      "/api/v3/jobs",
    );
    return answer.body?.jobs ?? [];
  }

  /** `POST /api/v3/jobs/{id}/setstatus`; resolves with the HTTP status. */
  async setJobStatus(id: string, status: string, reason: string) {
    const path = `/api/v3/jobs/${enc(id)}/setstatus`;
    return (await this.bounded("POST", path, { status, reason })).status;
  }

  /** `POST /api/v3/tasks/{id}/setstatus`; resolves with the HTTP status. */
  async setTaskStatus(id: string, status: string, reason: string) {
    const path = `/api/v3/tasks/${enc(id)}/setstatus`;
    return (await this.bounded("POST", path, { status, reason })).status;
  }

  private async bounded<T>(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
  ): Promise<{ body: T; status: number }> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new FlamencoUnreachableError(
            "FW_BOT_MANAGER_TIMEOUT",
            `${method} ${path} on the Manager: no answer within ` +
              `${this.timeoutMs / 1000} s`,
          ),
        );
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([
        this.client.call<T>(method, path, body),
        limit,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Whether the Manager may have acted although we saw no answer. */
export function outcomeUnknown(err: unknown): boolean {
  if (!(err instanceof FlamencoUnreachableError)) return false;
  const cause = String((err.cause as Error | undefined)?.message ?? "");
  return (
    err.code === "FW_BOT_MANAGER_TIMEOUT" ||
    /timeout/i.test(err.message + cause)
  );
}

/** A short sentence for the chat about a failed Manager call. */
export function describeManagerError(err: unknown, timeoutMs: number): string {
  if (err instanceof FlamencoApiError) {
    const detail = err.message.split(`: ${err.status}`)[1]?.trim() ?? "";
    return `the Manager answered ${err.status}${detail ? ` (${detail})` : ""}`;
  }
  if (err instanceof FlamencoUnreachableError) {
    if (outcomeUnknown(err)) {
      return `the Manager did not answer within ${timeoutMs / 1000} s`;
    }
    const why = /refused/.test(err.message)
      ? "connection refused"
      : "no answer";
    return `the Manager is unreachable (${why})`;
  }
  return "an unexpected error occurred";
}
