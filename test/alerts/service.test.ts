import { afterEach, describe, expect, it } from "vitest";
import type { FailedTaskView } from "../../src/shared/views.js";
import { farm, node, nodes, views, worker } from "./fixtures.js";
import { harness, summary, type Harness } from "./harness.js";

let h: Harness;
afterEach(async () => h?.cleanup());

const errorWorker = () =>
  views(farm({ workers: [worker({ status: "error" })] }));

function frames(n: number, jobName = "shot_040"): FailedTaskView[] {
  return Array.from({ length: n }, (_, i) => ({
    jobId: `id-${jobName}`,
    jobName,
    taskId: `t-${i}`,
    taskName: `render-${i}`,
    frames: `${i * 10 + 1}-${i * 10 + 10}`,
    status: "failed" as const,
    worker: "render-05",
    failedAt: "2025-06-02T11:59:00Z",
    logTail: ["command exited abnormally with code 1"],
  }));
}

describe("AlertsService lifecycle", () => {
  it("sends firing after the rule's for and resolved after the condition clears", async () => {
    h = await harness({ keepFiringForSeconds: 0 });
    h.set(errorWorker());
    await h.step();
    expect(summary(await h.outbox())).toEqual([]);
    await h.step(120);
    expect(summary(await h.outbox())).toEqual(["firing FlamencoWorkerStalled"]);
    h.set(views(farm()));
    await h.step(10);
    expect(summary(await h.outbox())).toEqual([
      "firing FlamencoWorkerStalled",
      "resolved FlamencoWorkerStalled",
    ]);
  });

  it("sends one notice for an unchanged firing alert however often it is evaluated", async () => {
    h = await harness();
    h.set(errorWorker());
    for (let i = 0; i < 20; i++) await h.step(30);
    expect(summary(await h.outbox())).toEqual(["firing FlamencoWorkerStalled"]);
  });

  it("groups a storm of 40 failed frames of one job into one message, then one update", async () => {
    h = await harness({ groupIntervalSeconds: 300 });
    h.set(views(farm({ failedTasks: frames(40) })));
    await h.step();
    h.set(views(farm({ failedTasks: frames(45) })));
    await h.step(10);
    await h.step(300);
    const lines = await h.outbox();
    expect(lines.map((l) => [l.status, l.alerts[0]!.description])).toEqual([
      [
        "firing",
        "40 task(s) of shot_040 failed on render-05. render-05 failed 40 tasks of this job and is heading for the blocklist.",
      ],
      [
        "update",
        "45 task(s) of shot_040 failed on render-05. render-05 failed 45 tasks of this job and is heading for the blocklist.",
      ],
    ]);
  });

  it("repeats a long-firing critical alert after the repeat interval", async () => {
    h = await harness({ repeatIntervalSeconds: 3600 });
    h.set(views(farm({ farmStatus: "inoperative" })));
    await h.step();
    await h.step(300);
    await h.step(3600);
    expect(summary(await h.outbox())).toEqual([
      "firing FlamencoFarmInoperative",
      "repeat FlamencoFarmInoperative",
    ]);
  });

  it("keeps firing alerts of the farm when the farm view goes missing", async () => {
    h = await harness({ keepFiringForSeconds: 0 });
    h.set(errorWorker());
    await h.step();
    await h.step(120);
    h.set(views(undefined));
    await h.step(30);
    expect(
      h.svc
        .active()
        .map((a) => a.name)
        .sort(),
    ).toEqual(["FarmwatchExporterDown", "FlamencoWorkerStalled"]);
    expect(summary(await h.outbox())).toEqual(["firing FlamencoWorkerStalled"]);
  });
});

describe("AlertsService suppression", () => {
  it("hides worker alerts while the Manager is down", async () => {
    h = await harness({
      rules: {
        FlamencoManagerDown: { forSeconds: 0 },
        FlamencoWorkerStalled: { forSeconds: 0 },
      },
    });
    const f = farm({ up: false, workers: [worker({ status: "error" })] });
    h.set(views(f));
    await h.step();
    h.set(views({ ...f, up: true }));
    await h.step(10);
    h.set(views(f));
    await h.step(10);
    expect(summary(await h.outbox())).toEqual(["firing FlamencoManagerDown"]);
  });

  it("hides a node's mount alerts while its agent is down", async () => {
    h = await harness({ rules: { FarmwatchAgentDown: { forSeconds: 0 } } });
    const hungNode = node({
      mounts: [
        { mountpoint: "/mnt/render", state: "hung", up: false, hung: true },
      ],
    });
    h.set(views(farm(), nodes(hungNode)));
    await h.step();
    h.set(views(farm(), nodes(["render-01", "timeout"])));
    await h.step(30);
    await h.step(40);
    expect(
      h.svc
        .active()
        .map((a) => `${a.state} ${a.name}`)
        .sort(),
    ).toEqual(["firing FarmwatchAgentDown", "firing FarmwatchMountHung"]);
    expect(summary(await h.outbox())).toEqual(["firing FarmwatchAgentDown"]);
  });

  it("does not notify a silenced alert and notifies it once the silence ends", async () => {
    h = await harness();
    await h.svc.silence({
      matcher: { node: "render-01" },
      endsAt: new Date(h.clock.ms + 600_000).toISOString(),
      reason: "swapping the GPU",
      createdBy: "api",
    });
    h.set(errorWorker());
    await h.step();
    await h.step(300);
    expect(summary(await h.outbox())).toEqual([]);
    expect(h.svc.active()[0]!.silenced).toBe(true);
    await h.step(301);
    expect(summary(await h.outbox())).toEqual(["firing FlamencoWorkerStalled"]);
  });

  it("silences by job without touching other jobs", async () => {
    h = await harness();
    await h.svc.silence({
      matcher: { job: "shot_040" },
      endsAt: new Date(h.clock.ms + 600_000).toISOString(),
      reason: "known bad frames",
      createdBy: "api",
    });
    h.set(
      views(farm({ failedTasks: [...frames(2), ...frames(1, "shot_050")] })),
    );
    await h.step();
    expect((await h.outbox()).map((l) => l.group.job)).toEqual(["shot_050"]);
  });

  it("does not notify alerts of a node in a maintenance window", async () => {
    h = await harness({
      maintenance: [
        {
          startsAt: "2025-06-02T11:00:00Z",
          endsAt: "2025-06-02T13:00:00Z",
          nodes: ["render-01"],
        },
      ],
    });
    h.set(errorWorker());
    await h.step();
    await h.step(300);
    expect(summary(await h.outbox())).toEqual([]);
  });

  it("holds warnings during quiet hours and delivers them when the window ends", async () => {
    const sent: string[] = [];
    h = await harness(
      {
        quietHours: [{ cron: "* 12 * * *", severities: ["warning"] }],
        email: { smtp: { host: "127.0.0.1" }, to: ["ops@example.org"] },
      },
      () => [
        [
          "email",
          {
            name: "email",
            send: async (e) => {
              sent.push(e.notices[0]!.alertname);
              return { kind: "sent" };
            },
          },
        ],
      ],
    );
    h.set(errorWorker());
    await h.step();
    await h.step(120);
    expect(sent).toEqual([]);
    h.clock.ms = Date.parse("2025-06-02T13:00:00Z");
    await h.svc.deliver();
    expect(sent).toEqual(["FlamencoWorkerStalled"]);
  });
});

describe("AlertsService state on disk", () => {
  it("neither repeats nor forgets a firing alert across a restart", async () => {
    h = await harness({ keepFiringForSeconds: 0 });
    h.set(errorWorker());
    await h.step();
    await h.step(120);
    h = await h.restart();
    h.set(errorWorker());
    await h.step(10);
    h.set(views(farm()));
    await h.step(10);
    expect(summary(await h.outbox())).toEqual([
      "firing FlamencoWorkerStalled",
      "resolved FlamencoWorkerStalled",
    ]);
  });

  it("keeps silences across a restart", async () => {
    h = await harness();
    const s = await h.svc.silence({
      matcher: { alertname: "FlamencoJobFailed" },
      endsAt: new Date(h.clock.ms + 600_000).toISOString(),
      reason: "r",
      createdBy: "api",
    });
    h = await h.restart();
    expect(h.svc.silences().map((x) => x.id)).toEqual([s.id]);
  });
});

describe("AlertsService field cases", () => {
  it("reports a path mapping problem instead of the failed frames of that job", async () => {
    h = await harness();
    const win = (worker: string, taskId: string): FailedTaskView => ({
      ...frames(1)[0]!,
      taskId,
      worker,
      platform: "windows",
      logTail: [
        'Error: Cannot read file "C:\\\\nas01\\\\render\\\\shot.blend"',
      ],
    });
    h.set(
      views(
        farm({ failedTasks: [win("render-05", "a"), win("render-06", "b")] }),
      ),
    );
    await h.step();
    expect(summary(await h.outbox())).toEqual([
      "firing FlamencoPathMappingSuspect",
    ]);
  });

  it("raises FarmwatchDeliveryFailing when e-mail keeps failing, through the other channels", async () => {
    h = await harness(
      {
        email: { smtp: { host: "127.0.0.1" }, to: ["ops@example.org"] },
        deliveryRetryMaxSeconds: 30,
      },
      () => [
        [
          "email",
          {
            name: "email",
            send: async () => ({
              kind: "retry",
              error: "SMTP login rejected (535)",
              code: "auth",
            }),
          },
        ],
      ],
    );
    h.set(errorWorker());
    for (let i = 0; i < 30; i++) await h.step(30);
    const lines = await h.outbox();
    expect(
      lines
        .filter((l) => l.alertname === "FarmwatchDeliveryFailing")
        .map((l) => [l.status, l.alerts[0]!.labels]),
    ).toEqual([["firing", { channel: "email" }]]);
  });
});
