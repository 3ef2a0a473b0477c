import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startAlerts } from "../../src/alerts/index.js";
import type { RunningPart } from "../../src/shared/part.js";
import { startFakeBotApi, type FakeBotApi } from "../support/fake-bot-api.js";
import { farm, job, makeConfig, quietLogger, tempDir } from "./fixtures.js";

const CHAT = 31337;
let part: RunningPart | undefined;
let exporter: Server | undefined;
let fake: FakeBotApi | undefined;
let tmp: Awaited<ReturnType<typeof tempDir>> | undefined;
afterEach(async () => {
  await part?.close();
  await new Promise((r) => exporter?.close(r) ?? r(undefined));
  await fake?.close();
  await tmp?.cleanup();
  part = exporter = fake = tmp = undefined;
});

describe("startAlerts", () => {
  it("hands its grammY bot to the Telegram bot and delivers alerts through the same bot", async () => {
    tmp = await tempDir();
    fake = await startFakeBotApi();
    exporter = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const view = farm({ jobs: [job({ id: "job-5", status: "failed" })] });
      res.end(JSON.stringify(req.url === "/api/v1/farm" ? view : []));
    });
    await new Promise<void>((r) => exporter!.listen(0, "127.0.0.1", r));
    const config = makeConfig({
      manager: { url: "http://127.0.0.1:1" },
      alerts: {
        listen: { host: "127.0.0.1", port: 0 },
        exporterUrl: `http://127.0.0.1:${(exporter.address() as AddressInfo).port}`,
        stateDir: tmp.dir,
        evaluateIntervalSeconds: 0.2,
        telegram: { token: fake.token, apiRoot: fake.url, chatIds: [CHAT] },
        bot: { enabled: true },
      },
    });
    part = await startAlerts({ config, logger: quietLogger() });
    await fake.waitForPoll();
    await fake.waitForCall("sendMessage", {
      where: (c) => Number(c.params.chat_id) === CHAT,
      timeoutMs: 10_000,
    });
    const msg = fake.botMessages(CHAT)[0]!;
    expect([
      msg.text.split("\n")[0],
      msg.replyMarkup?.inline_keyboard[0]?.[0],
    ]).toMatchObject([
      "🔴 FIRING FlamencoJobFailed · job shot_010 [warning]",
      { callback_data: "rq:j:job-5" },
    ]);
  });
});
