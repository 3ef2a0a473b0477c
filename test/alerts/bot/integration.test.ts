/**
 * The bot on the simulated farm: the simulator as the Manager, the real
 * exporter building the farm view from it, and the fake Bot API as the
 * chat. /status shows the farm; /requeue on a failed job asks, requeues
 * through the Manager API, and the job runs again in the simulator.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startExporter } from "../../../src/exporter/index.js";
import { ConfigSchema } from "../../../src/shared/config/schema.js";
import { createLogger } from "../../../src/shared/logger.js";
import type { RunningPart } from "../../../src/shared/part.js";
import type { FarmView } from "../../../src/shared/views.js";
import { call, startTestSim, type TestSim } from "../../support/sim.js";
import { ADMIN, startHarness, type Harness } from "./harness.js";

const JOB_NAME = "shot_<040> & fx_🔥";

let sim: TestSim;
let exporter: RunningPart;
let h: Harness;

async function farmView(): Promise<FarmView> {
  const res = await fetch(`${exporter.url}/api/v1/farm`);
  return (await res.json()) as FarmView;
}

/** Waits until the exporter's view satisfies `ok`, then hands it over. */
async function viewWhere(ok: (f: FarmView) => boolean): Promise<FarmView> {
  let view: FarmView | undefined;
  await vi.waitFor(
    async () => {
      view = await farmView();
      expect(ok(view)).toBe(true);
    },
    { timeout: 15_000, interval: 100 },
  );
  return view!;
}

async function jobStatus(id: string): Promise<string> {
  const res = await call(sim.url, "GET", `/api/v3/jobs/${id}`);
  return (res.json as { status: string }).status;
}

/** Fails frames of the job until Flamenco fails the job (bounded). */
async function failJob(id: string): Promise<void> {
  for (let i = 0; i < 20 && (await jobStatus(id)) !== "failed"; i++) {
    await call(sim.url, "POST", `/sim/jobs/${id}/fail-frames`, { count: 10 });
  }
}

beforeEach(async () => {
  sim = await startTestSim({ jobs: 0 });
  const config = ConfigSchema.parse({
    manager: { url: sim.url },
    exporter: {
      listen: { host: "127.0.0.1", port: 0 },
      pollIntervalSeconds: 0.2,
    },
  });
  exporter = await startExporter({
    config,
    logger: createLogger({ level: "silent" }),
  });
});

afterEach(async () => {
  await h.stop();
  await exporter.close();
  await sim.close();
});

describe("bot on the simulated farm", () => {
  it("shows the simulated farm in /status", async () => {
    await call(sim.url, "POST", "/sim/jobs", { name: "shot_010", frames: 8 });
    sim.advance(30);
    const view = await viewWhere((f) => f.up && f.jobs.length === 1);
    h = await startHarness({
      farm: view,
      managerUrl: sim.url,
      realClock: true,
    });
    const [reply] = await h.send("/status");
    const lines = reply!.text.split("\n");
    expect({
      manager: lines[0],
      workers: lines[1],
      job: lines.some((l) => l.includes(view.jobs[0]!.name)),
    }).toEqual({
      manager: `Manager ${view.manager!.version} up · farm ${view.farmStatus}`,
      workers: expect.stringMatching(/^Workers: \d/),
      job: true,
    });
  });

  it("requeues a failed job after confirmation and the job runs again", async () => {
    const created = await call(sim.url, "POST", "/sim/jobs", {
      name: JOB_NAME,
      frames: 10,
    });
    const id = (created.json as { id: string }).id;
    sim.advance(5);
    await failJob(id);
    const view = await viewWhere((f) =>
      f.jobs.some((j) => j.id === id && j.status === "failed"),
    );
    h = await startHarness({
      farm: view,
      managerUrl: sim.url,
      realClock: true,
    });

    const [ask] = await h.send(`/requeue ${JOB_NAME}`);
    // The fake edits the stored message in place on Confirm.
    const askText = ask!.text;
    const confirm = ask!.replyMarkup!.inline_keyboard[0]![0] as {
      callback_data: string;
    };
    await h.press(confirm.callback_data);
    const requeued = await jobStatus(id);
    sim.advance(60);
    const running = await call(sim.url, "GET", `/api/v3/jobs/${id}/tasks`);
    const active = (
      running.json as { tasks: { status: string }[] }
    ).tasks.filter((t) => t.status === "active").length;

    expect({
      asked: askText.startsWith(`Requeue job ${JOB_NAME} (failed)`),
      answer: h.fake.botMessages(ADMIN).at(-1)?.text,
      requeued,
      afterMinute: await jobStatus(id),
      rendering: active > 0,
    }).toEqual({
      asked: true,
      answer: `✅ Requeued job ${JOB_NAME}: the Manager accepted (204).`,
      requeued: "queued",
      afterMinute: "active",
      rendering: true,
    });
  });
});
