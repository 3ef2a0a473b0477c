import { Gauge, Registry } from "prom-client";
import { Exporter } from "../src/exporter/exporter.js";
import { ConfigSchema } from "../src/shared/config/schema.js";
import { FlamencoClient } from "../src/shared/flamenco/client.js";
import { createLogger } from "../src/shared/logger.js";

/**
 * The child side of `exporter.bench.ts`: one poller (farmwatch's exporter
 * or the naive peer) measuring itself in its own process, so that CPU and
 * RSS are its own. Started with the order in {@link CHILD_ENV}; answers
 * one {@link ChildResult} over IPC.
 */

/** Environment variable holding the child's order (JSON). */
export const CHILD_ENV = "FW_EXPORTER_BENCH_CHILD";
/** Poll interval of the failure-delay run, seconds. */
export const DELAY_INTERVAL_SECONDS = 2;

/** What a child measured. */
export interface ChildResult {
  requestsPerCycle: number;
  bytesPerCycle: number;
  cpuMsPerCycle: number;
  rssMb: number;
  scrapeMs: number;
  /** Mean over the trials. */
  failureDelayMs: number;
  failureDelayMaxMs: number;
}

/** Which poller a child runs. */
export type Subject = "farmwatch" | "naive";

/** The naive peer: every job's tasks, every cycle; per-job series for all. */
class NaivePoller {
  readonly registry = new Registry();
  readonly failed = new Set<string>();
  private readonly gauge = new Gauge({
    name: "naive_job_tasks",
    help: "Tasks per job and status.",
    labelNames: ["job_id", "status"],
    registers: [this.registry],
  });

  constructor(private readonly client: FlamencoClient) {}

  async poll(): Promise<void> {
    const [jobs] = await Promise.all([
      this.client.listJobs(),
      this.client.listWorkers(),
      this.client.getStatus(),
    ]);
    await Promise.all(
      jobs.body.map(async (j) => {
        const tasks = await this.client.getJobTasks(j.id);
        const counts: Record<string, number> = {};
        for (const t of tasks.body) {
          counts[t.status] = (counts[t.status] ?? 0) + 1;
          if (t.status === "failed" || t.status === "soft-failed") {
            this.failed.add(t.id);
          }
        }
        for (const [status, n] of Object.entries(counts)) {
          this.gauge.set({ job_id: j.id, status }, n);
        }
      }),
    );
  }
}

/** What a child is told to do. */
export interface ChildOrder {
  subject: Subject;
  simUrl: string;
  cycles: number;
  measureDelay: boolean;
}

interface Poller {
  poll(): Promise<void>;
  scrape(): Promise<unknown>;
  sawFailure(taskId: string): boolean;
  startLoop(intervalSeconds: number): () => Promise<void>;
  close(): Promise<void>;
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return res.json();
}

function makePoller(order: ChildOrder, intervalSeconds: number): Poller {
  const logger = createLogger({ level: "silent" });
  if (order.subject === "farmwatch") {
    const config = ConfigSchema.parse({
      manager: { url: order.simUrl },
      exporter: { pollIntervalSeconds: intervalSeconds },
    });
    const registry = new Registry();
    const e = new Exporter({
      config,
      managerUrl: order.simUrl,
      logger,
      registry,
    });
    return {
      poll: () => e.pollOnce(),
      scrape: () => e.metrics(),
      sawFailure: (id) => e.view().failedTasks.some((f) => f.taskId === id),
      startLoop: () => {
        e.start();
        return () => e.stop();
      },
      close: () => e.stop(),
    };
  }
  const client = new FlamencoClient({
    baseUrl: order.simUrl,
    timeoutSeconds: 5,
  });
  const naive = new NaivePoller(client);
  let stopped = false;
  return {
    poll: () => naive.poll(),
    scrape: () => naive.registry.metrics(),
    sawFailure: (id) => naive.failed.has(id),
    startLoop: (interval) => {
      const loop = (async () => {
        while (!stopped) {
          await naive.poll().catch(() => undefined);
          await new Promise((r) => setTimeout(r, interval * 1000));
        }
      })();
      return async () => {
        stopped = true;
        await loop;
      };
    },
    close: () => client.close(),
  };
}

/** Cycles of advance + poll: requests, bytes, CPU and scrape time. */
async function measureCycles(order: ChildOrder, poller: Poller) {
  const advance = () => post(`${order.simUrl}/sim/advance`, { seconds: 10 });
  for (let i = 0; i < 2; i++) {
    await advance();
    await poller.poll();
  }
  await post(`${order.simUrl}/sim/stats/reset`, {});
  let cpuMs = 0;
  let scrapeMs = 0;
  for (let i = 0; i < order.cycles; i++) {
    await advance();
    const cpu = process.cpuUsage();
    await poller.poll();
    const d = process.cpuUsage(cpu);
    cpuMs += (d.user + d.system) / 1000;
    const t = performance.now();
    await poller.scrape();
    scrapeMs += performance.now() - t;
  }
  const res = await fetch(`${order.simUrl}/sim/stats`);
  const stats = (await res.json()) as {
    total: { requests: number; bytes: number };
  };
  return {
    requestsPerCycle: stats.total.requests / order.cycles,
    bytesPerCycle: stats.total.bytes / order.cycles,
    cpuMsPerCycle: cpuMs / order.cycles,
    scrapeMs: scrapeMs / order.cycles,
    rssMb: process.memoryUsage().rss / 1e6,
  };
}

/** Frame failures per delay run, at spread-out moments of the cycle. */
const DELAY_TRIALS = 4;

/** Fails one frame of an active job now; its task id. */
async function failFrame(simUrl: string): Promise<string> {
  const res = await fetch(`${simUrl}/api/v3/jobs`);
  const { jobs } = (await res.json()) as {
    jobs: { id: string; status: string }[];
  };
  const active = jobs.find((j) => j.status === "active");
  const answer = (await post(`${simUrl}/sim/jobs/${active?.id}/fail-frames`, {
    count: 1,
  })) as { failed?: { taskId: string }[] };
  return answer.failed?.[0]?.taskId ?? "";
}

/**
 * Wall time from failing a frame in the sim to seeing it, ms: the mean
 * and the worst of {@link DELAY_TRIALS} failures, each at a different
 * moment of the poll cycle.
 */
async function measureDelay(order: ChildOrder): Promise<[number, number]> {
  const poller = makePoller(order, DELAY_INTERVAL_SECONDS);
  const stop = poller.startLoop(DELAY_INTERVAL_SECONDS);
  const delays: number[] = [];
  for (let i = 0; i < DELAY_TRIALS; i++) {
    const offset = ((i + 0.5) / DELAY_TRIALS) * DELAY_INTERVAL_SECONDS * 1000;
    await new Promise((r) => setTimeout(r, 1000 + offset));
    const taskId = await failFrame(order.simUrl);
    const started = performance.now();
    while (
      !poller.sawFailure(taskId) &&
      performance.now() - started < 120_000
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    delays.push(performance.now() - started);
  }
  await stop();
  await poller.close();
  return [
    delays.reduce((a, b) => a + b, 0) / delays.length,
    Math.max(...delays),
  ];
}

async function childMain(order: ChildOrder): Promise<void> {
  const poller = makePoller(order, 10);
  const cycles = await measureCycles(order, poller);
  await poller.close();
  const [failureDelayMs, failureDelayMaxMs] = order.measureDelay
    ? await measureDelay(order)
    : [0, 0];
  process.send?.({
    ...cycles,
    failureDelayMs,
    failureDelayMaxMs,
  } satisfies ChildResult);
  process.disconnect?.();
}

const childOrder = process.env[CHILD_ENV];
if (childOrder !== undefined) {
  childMain(JSON.parse(childOrder) as ChildOrder).catch((err: unknown) => {
    process.stderr.write(`exporter bench child failed: ${String(err)}\n`);
    process.exitCode = 1;
  });
}
