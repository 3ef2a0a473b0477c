import { afterEach, describe, expect, it } from "vitest";
import { farm } from "./fixtures.js";
import {
  ADMIN,
  GROUP,
  READER,
  STRANGER,
  startHarness,
  type Harness,
} from "./harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

async function counter(name: string): Promise<number> {
  const metric = await h.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((n, v) => n + v.value, 0);
}

describe("bot access control", () => {
  it("gives a stranger in a private chat only their own user id", async () => {
    h = await startHarness({ farm: farm() });
    const replies = await h.send("/status", { userId: STRANGER });
    expect(replies.map((r) => r.text)).toEqual([
      `Not allowed. Your Telegram user id is ${STRANGER}; ask the farm ` +
        "owner to add it.",
    ]);
  });

  it("stays silent to a stranger in an allowed group", async () => {
    h = await startHarness({ farm: farm() });
    const replies = await h.send("/status", {
      userId: STRANGER,
      chatId: GROUP,
    });
    expect(replies).toEqual([]);
  });

  it("answers a listed reader in an allowed group", async () => {
    h = await startHarness({ farm: farm() });
    const [reply] = await h.send("/jobs", { userId: READER, chatId: GROUP });
    expect(reply?.text.split("\n")[0]).toBe(
      "▶️ aaaaaaaa shot_010 · active 45%",
    );
  });

  it("ignores even an admin in a chat that is not allowed", async () => {
    h = await startHarness({ farm: farm() });
    const replies = await h.send("/status", { userId: ADMIN, chatId: -42 });
    expect(replies).toEqual([]);
  });

  it("answers a stranger's button press with Not allowed", async () => {
    h = await startHarness({ farm: farm() });
    await h.send("/job shot_010");
    h.fake.userMessage({ chatId: STRANGER, userId: STRANGER, text: "hi" });
    const messageId = h.fake.botMessages(ADMIN).at(-1)!.messageId;
    const toast = await h.press("rq:j:aaaaaaaa", {
      userId: STRANGER,
      chatId: ADMIN,
      messageId,
    });
    expect(toast).toBe("Not allowed.");
  });

  it("counts and logs every refused update", async () => {
    h = await startHarness({ farm: farm() });
    await h.send("/status", { userId: STRANGER });
    await h.send("/status", { userId: STRANGER, chatId: GROUP });
    const logged = h.logs.filter((l) =>
      l.includes("bot update from a stranger refused"),
    ).length;
    expect({
      counted: await counter("farmwatch_bot_unauthorized_total"),
      logged,
    }).toEqual({ counted: 2, logged: 2 });
  });

  it("counts commands by command and outcome", async () => {
    h = await startHarness({ farm: farm() });
    await h.send("/status");
    await h.send("/silence x 1h", { userId: READER });
    const metric = await h.registry
      .getSingleMetric("farmwatch_bot_commands_total")!
      .get();
    expect(metric.values.map((v) => [v.labels, v.value])).toEqual([
      [{ command: "status", outcome: "ok" }, 1],
      [{ command: "silence", outcome: "forbidden" }, 1],
    ]);
  });
});
