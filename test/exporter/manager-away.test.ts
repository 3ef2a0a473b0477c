import { afterEach, describe, expect, it } from "vitest";
import { job, worker, type FarmFixture } from "./fixtures/farm.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function farm(): FarmFixture {
  return {
    workers: [1, 2, 3, 4, 5, 6].map((n) => worker(`w-${n}`, `render-0${n}`)),
    jobs: [job("j1")],
  };
}

const WORKERS = "GET /api/v3/worker-mgt/workers";

describe("exporter while the Manager is away", () => {
  it("keeps flamenco_up 1 and serves the last view marked stale on 503 Retry-After", async () => {
    h = await startHarness(farm());
    await h.poll();
    h.fake.set(WORKERS, {
      status: 503,
      headers: { "retry-after": "1" },
      body: { code: 503, message: "too busy to find a task for you" },
    });
    h.advance(10);
    await h.poll();

    expect(await h.value("flamenco_up")).toBe(1);
    const code = { endpoint: "/api/v3/worker-mgt/workers", code: "503" };
    expect(await h.value("flamenco_api_errors_total", code)).toBe(1);
    const view = h.exporter.view();
    expect([view.stale, view.workers.length, view.ageSeconds]).toEqual([
      true,
      6,
      10,
    ]);
  });

  it("reports the view as infinitely old before any poll succeeded", async () => {
    h = await startHarness(farm());
    await h.fake.close();
    await h.poll();

    expect(await h.value("flamenco_view_age_seconds")).toBe(Infinity);
  });

  it("sets flamenco_up 0 at the first refused poll but keeps worker series", async () => {
    h = await startHarness(farm());
    await h.poll();
    const port = new URL(h.fake.url).port;
    await h.fake.close();
    await h.poll();

    expect(await h.value("flamenco_up")).toBe(0);
    expect(
      await h.value("flamenco_worker_status", {
        worker_id: "w-6",
        status: "awake",
      }),
    ).toBe(1);
    // A pooled socket may see the close before a new connect is refused.
    expect(h.exporter.view().lastError?.message).toMatch(
      new RegExp(
        `^GET http://127.0.0.1:${port}/api/v3/jobs: (refused|unreachable)$`,
      ),
    );
  });

  it("reports workers vanishing all at once instead of silently dropping them", async () => {
    const f = farm();
    h = await startHarness(f);
    await h.poll();
    f.workers = [];
    await h.poll();

    expect(h.exporter.view().problems.workersVanished).toEqual({
      before: 6,
      after: 0,
      names: [1, 2, 3, 4, 5, 6].map((n) => `render-0${n}`),
    });
    expect(await h.value("flamenco_workers_vanished")).toBe(6);
  });

  it("times out a hanging Manager and sets flamenco_up 0", async () => {
    h = await startHarness(farm(), { requestTimeoutSeconds: 0.3 });
    await h.poll();
    h.fake.set(WORKERS, { hang: true });
    await h.poll();

    expect(await h.value("flamenco_up")).toBe(0);
    expect(h.exporter.view().lastError?.message).toMatch(/workers: timeout$/);
  });

  it("counts malformed JSON and keeps the last good view", async () => {
    h = await startHarness(farm());
    await h.poll();
    h.fake.set("GET /api/v3/jobs", { text: '{"jobs": [{"id": ' });
    await h.poll();

    const labels = { endpoint: "/api/v3/jobs", kind: "malformed_json" };
    expect(await h.value("flamenco_api_validation_errors_total", labels)).toBe(
      1,
    );
    expect(h.exporter.view().jobs.map((j) => j.id)).toEqual(["j1"]);
  });

  it("counts an unknown worker status and still exposes that worker", async () => {
    const f = farm();
    (f.workers[0] as { status: string }).status = "hibernating";
    h = await startHarness(f);
    await h.poll();

    const labels = {
      endpoint: "/api/v3/worker-mgt/workers",
      kind: "unknown_enum",
    };
    expect(await h.value("flamenco_api_validation_errors_total", labels)).toBe(
      1,
    );
    expect(
      await h.value("flamenco_worker_status", {
        worker_id: "w-1",
        status: "hibernating",
      }),
    ).toBe(1);
  });

  it("reports the failed data source as 0 in scrape_collector_success at once", async () => {
    h = await startHarness(farm());
    await h.poll();
    h.fake.set("GET /api/v3/jobs", {
      status: 500,
      body: { code: 500, message: "db" },
    });
    await h.poll();
    const success = (collector: string) =>
      h!.value("flamenco_scrape_collector_success", { collector });
    expect([await success("jobs"), await success("workers")]).toEqual([0, 1]);
  });
});
