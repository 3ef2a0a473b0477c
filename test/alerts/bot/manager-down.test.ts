import { afterEach, describe, expect, it } from "vitest";
import { farm, job } from "./fixtures.js";
import { startFakeManager, type FakeManager } from "./fake-manager.js";
import { ADMIN, startHarness, type Harness } from "./harness.js";

const ID = "bbbbbbbb-2222-4222-8222-000000000002";

let h: Harness;
let manager: FakeManager;

async function start(timeoutSeconds = 1) {
  manager = await startFakeManager();
  manager.add({
    id: ID,
    name: "shot_040",
    status: "failed",
    tasks: [{ id: "t2", name: "render-0011-0020", status: "failed" }],
  });
  h = await startHarness({
    farm: farm({ jobs: [job({ id: ID, name: "shot_040", status: "failed" })] }),
    managerUrl: manager.url,
    managerTimeoutSeconds: timeoutSeconds,
  });
}

afterEach(async () => {
  // The Manager first, so no request of the bot waits on it.
  await manager.close().catch(() => undefined);
  await h.stop();
});

describe("bot with a slow or down Manager", () => {
  it("says the Manager is unreachable when it refuses connections", async () => {
    await start();
    await manager.close();
    const [reply] = await h.send("/requeue shot_040");
    expect(reply?.text).toBe(
      "Cannot plan the requeue: the Manager is unreachable (connection " +
        "refused). Nothing changed.",
    );
  });

  it("gives up on a Manager that never answers after the timeout", async () => {
    await start(1);
    manager.mode = "hang";
    const [reply] = await h.send("/requeue shot_040");
    expect(reply?.text).toBe(
      "Cannot plan the requeue: the Manager did not answer within 1 s. " +
        "Nothing changed.",
    );
  });

  it("says the requeue may have happened when the Manager hangs on it", async () => {
    await start(1);
    await h.send("/requeue shot_040");
    const data = (
      h.fake.botMessages(ADMIN).at(-1)!.replyMarkup!.inline_keyboard[0]![0] as {
        callback_data: string;
      }
    ).callback_data;
    manager.mode = "hang-posts";
    await h.press(data);
    expect(h.fake.botMessages(ADMIN).at(-1)?.text).toBe(
      "⚠️ the Manager did not answer within 1 s: the requeue may or may " +
        "not have happened. Check with /job bbbbbbbb.",
    );
  });

  it("reports the Manager's 503 in words", async () => {
    await start();
    manager.mode = "503";
    const [reply] = await h.send("/requeue shot_040");
    expect(reply?.text).toMatch(
      /^Cannot plan the requeue: the Manager answered 503/,
    );
  });

  it("keeps answering other commands while the Manager is down", async () => {
    await start();
    await manager.close();
    await h.send("/requeue shot_040");
    const [reply] = await h.send("/jobs");
    expect(reply?.text.split("\n")[0]).toBe(
      "❌ bbbbbbbb shot_040 · failed 45%",
    );
  });
});
