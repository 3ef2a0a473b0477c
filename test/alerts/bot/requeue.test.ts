import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { requeueButton } from "../../../src/alerts/bot/buttons.js";
import { AUDIT_FILE } from "../../../src/alerts/bot/audit.js";
import { farm, job, TRICKY_JOB } from "./fixtures.js";
import {
  startFakeManager,
  type FakeManager,
  type FmJob,
} from "./fake-manager.js";
import { ADMIN, READER, startHarness, type Harness } from "./harness.js";

const FAILED_ID = "bbbbbbbb-2222-4222-8222-000000000002";

let h: Harness;
let manager: FakeManager;

function failedJob(over: Partial<FmJob> = {}): FmJob {
  return {
    id: FAILED_ID,
    name: TRICKY_JOB,
    status: "failed",
    tasks: [
      { id: "t1", name: "render-0001-0010", status: "completed" },
      { id: "t2", name: "render-0011-0020", status: "failed" },
      { id: "t3", name: "render-0021-0030", status: "canceled" },
    ],
    ...over,
  };
}

async function start(fm: FmJob) {
  manager = await startFakeManager();
  manager.add(fm);
  h = await startHarness({
    farm: farm({
      jobs: [job(), job({ id: fm.id, name: fm.name, status: fm.status })],
    }),
    managerUrl: manager.url,
  });
}

function confirmData(): string {
  const last = h.fake.botMessages(ADMIN).at(-1)!;
  const data = last.replyMarkup?.inline_keyboard[0]?.[0];
  return (data as { callback_data: string }).callback_data;
}

afterEach(async () => {
  await manager.close();
  await h.stop();
});

describe("/requeue", () => {
  it("shows what will happen and asks before touching the Manager", async () => {
    await start(failedJob());
    const [reply] = await h.send("/requeue bbbbbbbb");
    expect({
      text: reply?.text,
      buttons: reply?.replyMarkup?.inline_keyboard.flat().map((b) => b.text),
      posts: manager.posts.length,
    }).toEqual({
      text:
        `Requeue job ${TRICKY_JOB} (failed): its unfinished tasks ` +
        "(1 failed, 1 canceled) go back to the queue; 1 completed task(s) " +
        "are kept.\nConfirm?",
      buttons: ["✅ Confirm", "✖️ Cancel"],
      posts: 0,
    });
  });

  it("requeues the job through the Manager on Confirm and reports its answer", async () => {
    await start(failedJob());
    await h.send("/requeue bbbbbbbb");
    const toast = await h.press(confirmData());
    expect({
      toast,
      post: manager.posts[0],
      status: manager.jobs.get(FAILED_ID)?.status,
      text: h.fake.botMessages(ADMIN).at(-1)?.text,
    }).toEqual({
      toast: "Requeueing…",
      post: {
        path: `/api/v3/jobs/${FAILED_ID}/setstatus`,
        body: {
          status: "requeueing",
          reason: `Requeued from Telegram by user ${ADMIN}`,
        },
      },
      status: "queued",
      text: `✅ Requeued job ${TRICKY_JOB}: the Manager accepted (204).`,
    });
  });

  it("answers a late Confirm of a job already requeued without acting", async () => {
    await start(failedJob());
    await h.send("/requeue bbbbbbbb");
    const fm = manager.jobs.get(FAILED_ID)!;
    fm.status = "queued";
    for (const t of fm.tasks) if (t.status !== "completed") t.status = "queued";
    const toast = await h.press(confirmData());
    expect({
      toast,
      posts: manager.posts.length,
      text: h.fake.botMessages(ADMIN).at(-1)?.text,
    }).toEqual({
      toast: "Nothing done: the job is queued now.",
      posts: 0,
      text: `Nothing done: Job ${TRICKY_JOB} is already queued.`,
    });
  });

  it("answers a second press of the same Confirm as expired", async () => {
    await start(failedJob());
    await h.send("/requeue bbbbbbbb");
    const data = confirmData();
    const messageId = h.fake.botMessages(ADMIN).at(-1)!.messageId;
    await h.press(data);
    // A double tap: the second press arrives before the buttons are gone.
    const again = await h.press(data, { messageId });
    expect({ again, posts: manager.posts.length }).toEqual({
      again:
        "This confirmation expired or was already used. Send /requeue again.",
      posts: 1,
    });
  });

  it("changes nothing on Cancel", async () => {
    await start(failedJob());
    await h.send("/requeue bbbbbbbb");
    const cancel = h.fake.botMessages(ADMIN).at(-1)!.replyMarkup!
      .inline_keyboard[0]![1] as { callback_data: string };
    await h.press(cancel.callback_data);
    expect({
      posts: manager.posts.length,
      text: h.fake.botMessages(ADMIN).at(-1)?.text,
    }).toEqual({ posts: 0, text: "Canceled. Nothing changed." });
  });

  it("warns that requeueing a task of a completed job re-renders all of it", async () => {
    await start(
      failedJob({
        status: "completed",
        tasks: [
          { id: "t1", name: "render-0001-0010", status: "completed" },
          { id: "t2", name: "render-0011-0020", status: "completed" },
        ],
      }),
    );
    const [reply] = await h.send("/requeue bbbbbbbb render-0011-0020");
    expect(reply?.text.split("\n")[1]).toBe(
      "⚠️ The job is completed: requeueing one of its tasks requeues the " +
        "whole job, and all 2 tasks render again.",
    );
  });

  it("refuses a job that is running, pointing at its failed tasks", async () => {
    await start(
      failedJob({
        status: "active",
        tasks: [{ id: "t2", name: "render-0011-0020", status: "failed" }],
      }),
    );
    const [reply] = await h.send("/requeue bbbbbbbb");
    expect(reply?.text).toBe(
      `Job ${TRICKY_JOB} is already active. For its 1 failed task(s): ` +
        "/requeue bbbbbbbb failed",
    );
  });

  it("requeues the failed tasks of an active job one by one", async () => {
    await start(
      failedJob({
        status: "active",
        tasks: [
          { id: "t1", name: "render-0001-0010", status: "active" },
          { id: "t2", name: "render-0011-0020", status: "failed" },
          { id: "t3", name: "render-0021-0030", status: "failed" },
        ],
      }),
    );
    await h.send("/requeue bbbbbbbb failed");
    await h.press(confirmData());
    expect(manager.posts.map((p) => p.path)).toEqual([
      "/api/v3/tasks/t2/setstatus",
      "/api/v3/tasks/t3/setstatus",
    ]);
  });

  it("refuses a task of a failed job, which would not run alone", async () => {
    await start(failedJob());
    const [reply] = await h.send("/requeue bbbbbbbb render-0011-0020");
    expect(reply?.text).toBe(
      `Job ${TRICKY_JOB} is failed: a queued task of it would not run. ` +
        "Requeue the job: /requeue bbbbbbbb",
    );
  });

  it("refuses an active task", async () => {
    await start(
      failedJob({
        status: "active",
        tasks: [{ id: "t1", name: "render-0001-0010", status: "active" }],
      }),
    );
    const [reply] = await h.send("/requeue bbbbbbbb render-0001-0010");
    expect(reply?.text).toBe(
      "Task render-0001-0010 cannot be requeued: it is rendering now.",
    );
  });

  it("leads the Requeue button of an alert to the same confirmation", async () => {
    await start(failedJob());
    await h.fake.waitForPoll().then(() => undefined);
    const markup = requeueButton(FAILED_ID);
    const data = (markup.inline_keyboard[0]![0] as { callback_data: string })
      .callback_data;
    await fetch(`${h.fake.url}/bot${h.fake.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        chat_id: ADMIN,
        text: "frames failed",
        reply_markup: markup,
      }),
    });
    await h.press(data);
    expect(h.fake.botMessages(ADMIN).at(-1)?.text).toBe(
      `Requeue job ${TRICKY_JOB} (failed): its unfinished tasks ` +
        "(1 failed, 1 canceled) go back to the queue; 1 completed task(s) " +
        "are kept.\nConfirm?",
    );
  });

  it("writes who requeued what and the Manager's answer to the audit log", async () => {
    await start(failedJob());
    await h.send("/requeue bbbbbbbb");
    await h.press(confirmData());
    const lines = (await readFile(join(h.stateDir, AUDIT_FILE), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        time: "2026-12-04T16:00:00.000Z",
        userId: ADMIN,
        chatId: ADMIN,
        action: "requeue-job",
        target: { jobId: FAILED_ID, jobName: TRICKY_JOB, taskIds: [] },
        outcome: "ok",
        answer: "accepted (204)",
        status: 204,
      },
    ]);
  });

  it("refuses a reader", async () => {
    await start(failedJob());
    const [reply] = await h.send("/requeue bbbbbbbb", { userId: READER });
    expect(reply?.text).toBe("Only admins can do that.");
  });

  it("lists what can be requeued when called without a job", async () => {
    await start(failedJob());
    const [reply] = await h.send("/requeue");
    expect({
      lines: reply?.text.split("\n").slice(0, 2),
      buttons: reply?.replyMarkup?.inline_keyboard
        .flat()
        .map((b) => (b as { callback_data: string }).callback_data),
    }).toEqual({
      lines: ["Requeue which?", `• ${TRICKY_JOB}: failed`],
      buttons: [`rq:j:${FAILED_ID}`],
    });
  });

  it("answers a button it no longer knows", async () => {
    await start(failedJob());
    await h.send("/requeue");
    const messageId = h.fake.botMessages(ADMIN).at(-1)!.messageId;
    const toast = await h.press("zz:old", { messageId });
    expect(toast).toBe("This button is no longer used.");
  });
});
