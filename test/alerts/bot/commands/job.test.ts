import { afterEach, describe, expect, it } from "vitest";
import {
  farm,
  job,
  troubledFarm,
  TRICKY_JOB,
  TRICKY_WORKER,
} from "../fixtures.js";
import { startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/job", () => {
  it("shows a healthy job's progress and the workers on it", async () => {
    const f = farm();
    f.workers[0]!.currentTask = {
      id: "t9",
      name: "render-0091-0100",
      jobId: f.jobs[0]!.id,
      jobName: "shot_010",
    };
    h = await startHarness({ farm: f });
    const [reply] = await h.send("/job shot_010");
    expect(reply?.text.split("\n")).toEqual([
      "▶️ shot_010 · active",
      "aaaaaaaa-1111-4111-8111-000000000001 · simple-blender-render · priority 50",
      "Progress 45% · 90/200 frames · ETA 1h 20m",
      "Tasks: 9 completed, 1 active, 10 queued",
      "Workers on it: render-01",
    ]);
  });

  it("lists a failed job's failed frames with escaped names and a Requeue button", async () => {
    h = await startHarness({ farm: troubledFarm() });
    const [reply] = await h.send("/job bbbb");
    expect({
      lines: reply?.text.split("\n").slice(-1),
      first: reply?.text.split("\n")[0],
      buttons: reply?.replyMarkup?.inline_keyboard.flat().map((b) => b.text),
    }).toEqual({
      first: `❌ ${TRICKY_JOB} · failed`,
      lines: [
        `🔴 render-0401-0410 frames 401-410 on ${TRICKY_WORKER} (failed)`,
      ],
      buttons: ["🔁 Requeue job"],
    });
  });

  it("finds a job by a part of its name, case-insensitive", async () => {
    h = await startHarness({ farm: troubledFarm() });
    const [reply] = await h.send("/job FX_🔥");
    expect(reply?.text.split("\n")[0]).toBe(`❌ ${TRICKY_JOB} · failed`);
  });

  it("lists the candidates when several jobs match", async () => {
    h = await startHarness({
      farm: farm({
        jobs: [job(), job({ id: "cccccccc-3", name: "shot_011" })],
      }),
    });
    const [reply] = await h.send("/job shot");
    expect(reply?.text.split("\n")).toEqual([
      "2 jobs match:",
      "aaaaaaaa shot_010",
      "cccccccc shot_011",
    ]);
  });

  it("says no job matches an unknown name", async () => {
    h = await startHarness({ farm: farm() });
    const [reply] = await h.send("/job <nope>");
    expect(reply?.text).toBe("No job matches <nope>.");
  });

  it("stays under Telegram's limit for a job with 60 failed frames", async () => {
    const f = troubledFarm();
    const failed = f.failedTasks[0]!;
    f.failedTasks = Array.from({ length: 60 }, (_, i) => ({
      ...failed,
      taskId: `t${i}`,
      taskName: `render-${i}-${"&<x>".repeat(200)}`,
    }));
    h = await startHarness({ farm: f });
    const [reply] = await h.send("/job bbbb");
    expect({
      sent: reply !== undefined,
      fits: (reply?.text.length ?? 0) <= 4096,
      more: reply?.text.split("\n").at(-1),
    }).toEqual({ sent: true, fits: true, more: expect.stringMatching(/more/) });
  });

  it("answers with a cut plain text when one name exceeds a message", async () => {
    const huge = "🔥<&>".repeat(1500);
    h = await startHarness({ farm: farm({ jobs: [job({ name: huge })] }) });
    const [reply] = await h.send("/job aaaa");
    expect({
      fits: (reply?.text.length ?? 0) <= 4096,
      start: reply?.text.slice(0, 8),
    }).toEqual({ fits: true, start: "▶️ 🔥<&>" });
  });
});
