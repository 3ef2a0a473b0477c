import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { Exporter } from "../../src/exporter/exporter.js";
import { createLogger } from "../../src/shared/logger.js";
import type { Worker } from "../../src/shared/flamenco/types.js";
import { ago, job, task, worker, type FarmFixture } from "./fixtures/farm.js";
import { startHarness, testConfig, type Harness } from "./harness.js";

const GOLDEN = fileURLToPath(
  new URL("./fixtures/exposition.golden.prom", import.meta.url),
);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ref = (w: Worker) => ({ id: w.id, name: w.name, address: w.ip_address });

/** A small busy farm touching every metric. */
function busyFarm(): FarmFixture {
  const ws = [1, 2, 3].map((n) => worker(`w-0${n}`, `render-0${n}`));
  return {
    workers: ws,
    jobs: [job("j1", { name: "shot_010" }), job("j0", { status: "completed" })],
    tasks: {
      j1: [
        task("t1", 0, { status: "active", worker: ref(ws[0]!) }),
        task("t2", 1, { status: "active", worker: ref(ws[1]!) }),
        task("t3", 2),
      ],
    },
  };
}

async function finishAndFail(h: Harness): Promise<void> {
  h.advance(300);
  const j1 = h.farm.jobs[0]!;
  j1.updated = ago(0, h.fake.nowMs);
  const [t1, t2] = h.farm.tasks!["j1"]!;
  Object.assign(t1!, { status: "completed", updated: j1.updated });
  Object.assign(t2!, { status: "soft-failed", updated: j1.updated });
  await h.poll();
}

function promtool(text: string): { status: number | null; out: string } {
  const r = spawnSync("promtool", ["check", "metrics"], {
    input: text,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `# TYPE` lines: the names and types of the exposition. */
const typeLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("# TYPE"))
    .sort();

describe("exporter metrics exposition", () => {
  it("has a golden exposition that passes promtool check metrics", () => {
    const r = promtool(readFileSync(GOLDEN, "utf8"));
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });

  it("exposes exactly the metric names and types of the golden file", async () => {
    h = await startHarness(busyFarm());
    await h.poll();
    await finishAndFail(h);
    const text = await h.metrics();
    expect(typeLines(text)).toEqual(typeLines(readFileSync(GOLDEN, "utf8")));
    expect(promtool(text).status).toBe(0);
  });

  it("keeps per-job series to unfinished jobs under 1000 jobs", async () => {
    const jobs = Array.from({ length: 1000 }, (_, i) =>
      job(`j${i}`, { status: i < 20 ? "active" : "completed" }),
    );
    h = await startHarness({ workers: [worker("w-01", "r-01")], jobs });
    await h.poll();
    const text = await h.metrics();
    const ids = new Set(
      [...text.matchAll(/job_id="([^"]+)"/g)].map((m) => m[1]),
    );
    expect(ids.size).toBe(20);
    expect(text).not.toMatch(/task_id=|frame=/);
    expect(await h.value("flamenco_jobs", { status: "completed" })).toBe(980);
  });

  it("removes a job's series when it finishes", async () => {
    h = await startHarness(busyFarm());
    await h.poll();
    Object.assign(h.farm.jobs[0]!, { status: "completed", updated: ago(-1) });
    await h.poll();
    expect(await h.metrics()).not.toContain('job_id="j1"');
  });

  it("registers twice in one process without a clash, one HELP per name", async () => {
    const registry = new Registry();
    const make = () =>
      new Exporter({
        config: testConfig(),
        managerUrl: "http://127.0.0.1:9",
        logger: createLogger({ level: "silent" }),
        registry: new Registry(),
      });
    const a = make();
    const b = make();
    const c = new Exporter({
      config: testConfig(),
      managerUrl: "http://127.0.0.1:9",
      logger: createLogger({ level: "silent" }),
      registry,
    });
    const text = await c.metrics();
    const helps = text.split("\n").filter((l) => l.startsWith("# HELP"));
    expect(new Set(helps).size).toBe(helps.length);
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });

  it("serves one consistent state to a scrape taken during a poll", async () => {
    h = await startHarness(busyFarm());
    await h.poll();
    h.farm.workers.push(worker("w-04", "render-04"));
    let scrape: Promise<string> | undefined;
    h.fake.set("GET /api/v3/worker-mgt/workers/w-04", () => {
      scrape = h!.metrics();
      return { body: h!.farm.workers[3] };
    });
    await h.poll();
    const during = await scrape!;
    const awake = /flamenco_workers\{status="awake"\} (\d+)/.exec(during);
    const infos = during
      .split("\n")
      .filter((l) => l.startsWith("flamenco_worker_info{"));
    expect([Number(awake?.[1]), infos.length]).toEqual([3, 3]);
    expect(await h.value("flamenco_workers", { status: "awake" })).toBe(4);
  });
});
