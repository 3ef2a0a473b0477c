import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/shared/logger.js";
import { worker } from "./fixtures/farm.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A logger writing parsed lines into `lines`. */
function capture(lines: Record<string, unknown>[]) {
  return createLogger({
    level: "debug",
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
}

const WORKERS = "GET /api/v3/worker-mgt/workers";

describe("exporter logging", () => {
  it("logs a repeating poll failure once at warn and its recovery once at info", async () => {
    const lines: Record<string, unknown>[] = [];
    h = await startHarness(
      { workers: [worker("w-01", "render-01")], jobs: [] },
      { logger: capture(lines) },
    );
    await h.poll();
    const good = h.fake.routes.get(WORKERS)!;
    h.fake.set(WORKERS, { status: 500, body: { code: 500, message: "db" } });
    await h.poll();
    await h.poll();
    await h.poll();
    h.fake.set(WORKERS, good);
    await h.poll();

    const said = lines
      .filter((l) => /manager poll/.test(String(l["msg"])))
      .map((l) => [l["level"], l["msg"]]);
    expect(said).toEqual([
      [40, "manager poll failing"],
      [30, "manager poll recovered"],
    ]);
  });

  it("logs a spec mismatch once per endpoint and kind however often it repeats", async () => {
    const lines: Record<string, unknown>[] = [];
    const w = { ...worker("w-01", "render-01"), status: "hibernating" };
    h = await startHarness(
      { workers: [w as never], jobs: [] },
      { logger: capture(lines) },
    );
    await h.poll();
    await h.poll();
    const said = lines.filter((l) => l["kind"] === "unknown_enum");
    expect(said.map((l) => [l["level"], l["endpoint"], l["path"]])).toEqual([
      [40, "/api/v3/worker-mgt/workers", "/workers/0/status"],
      [40, "/api/v3/worker-mgt/workers/{worker_id}", "/status"],
    ]);
  });
});
