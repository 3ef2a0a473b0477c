import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { farm } from "./fixtures.js";
import { ADMIN, startHarness, type Harness } from "./harness.js";

let h: Harness;

/** A port that was free a moment ago (the webhook URL must name it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function startWebhookBot() {
  const port = await freePort();
  h = await startHarness({
    farm: farm(),
    botConfig: {
      webhook: {
        enabled: true,
        url: `http://127.0.0.1:${port}/telegram`,
        listen: { host: "127.0.0.1", port },
        secretToken: "s3cret-token",
      },
    },
  });
  return port;
}

afterEach(async () => {
  await h.stop();
});

describe("bot in webhook mode", () => {
  it("answers a command Telegram posts to the webhook", async () => {
    await startWebhookBot();
    const from = h.fake.calls.length;
    h.fake.userMessage({ chatId: ADMIN, text: "/jobs" });
    const sent = await h.fake.waitForCall("sendMessage", { from });
    expect(String(sent.params.text).split("\n")[0]).toBe(
      "▶️ <code>aaaaaaaa</code> shot_010 · active 45%",
    );
  });

  it("refuses a post without the secret token", async () => {
    const port = await startWebhookBot();
    const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ update_id: 99 }),
    });
    expect(res.status).toBe(401);
  });
});
