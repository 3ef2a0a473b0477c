/**
 * A tiny Flamenco Manager for the bot's tests: jobs with tasks, the
 * reading endpoints the bot uses and `setstatus` for jobs and tasks with
 * Flamenco's requeue rules; `mode` makes it hang or answer 503.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface FmTask {
  id: string;
  name: string;
  status: string;
}

export interface FmJob {
  id: string;
  name: string;
  status: string;
  tasks: FmTask[];
}

const JOB_FROM = ["failed", "canceled", "paused", "completed"];

export class FakeManager {
  url = "";
  /** `hang-posts`: reads answer, changes never do. */
  mode: "ok" | "hang" | "hang-posts" | "503" = "ok";
  readonly jobs = new Map<string, FmJob>();
  readonly posts: { path: string; body: unknown }[] = [];
  private readonly server = createServer((req, res) => {
    void this.handle(req, res);
  });

  add(job: FmJob): void {
    this.jobs.set(job.id, job);
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    if (this.mode === "hang") return;
    if (this.mode === "hang-posts" && req.method === "POST") return;
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (this.mode === "503") return send(503, { code: 503, message: "busy" });
    const path = req.url ?? "";
    if (req.method === "POST") this.posts.push({ path, body: JSON.parse(raw) });
    const jobOnly = (j: FmJob) => ({
      id: j.id,
      name: j.name,
      status: j.status,
      type: "simple-blender-render",
    });
    let m: RegExpExecArray | null;
    if (path === "/api/v3/jobs") {
      return send(200, { jobs: [...this.jobs.values()].map(jobOnly) });
    }
    if ((m = /^\/api\/v3\/jobs\/([^/]+)$/.exec(path))) {
      const job = this.jobs.get(m[1]!);
      return job
        ? send(200, jobOnly(job))
        : send(404, { code: 404, message: "no such job" });
    }
    if ((m = /^\/api\/v3\/jobs\/([^/]+)\/tasks$/.exec(path))) {
      const job = this.jobs.get(m[1]!);
      return job
        ? send(200, { tasks: job.tasks })
        : send(404, { code: 404, message: "no such job" });
    }
    if ((m = /^\/api\/v3\/jobs\/([^/]+)\/setstatus$/.exec(path))) {
      const job = this.jobs.get(m[1]!);
      if (!job || !JOB_FROM.includes(job.status)) {
        return send(422, { code: 422, message: "invalid status change" });
      }
      for (const t of job.tasks) {
        if (job.status === "completed" || t.status !== "completed") {
          t.status = "queued";
        }
      }
      job.status = "queued";
      return send(204);
    }
    if ((m = /^\/api\/v3\/tasks\/([^/]+)\/setstatus$/.exec(path))) {
      const job = [...this.jobs.values()].find((j) =>
        j.tasks.some((t) => t.id === m![1]),
      );
      const task = job?.tasks.find((t) => t.id === m![1]);
      if (!job || !task)
        return send(404, { code: 404, message: "no such task" });
      task.status = "queued";
      if (job.status === "completed") {
        for (const t of job.tasks) t.status = "queued";
        job.status = "queued";
      }
      return send(204);
    }
    send(404, { code: 404, message: "not found" });
  }
}

export async function startFakeManager(): Promise<FakeManager> {
  const m = new FakeManager();
  await m.listen();
  return m;
}
