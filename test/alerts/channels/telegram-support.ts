import { Bot } from "grammy";
import {
  TelegramChannel,
  defaultRequeueButton,
} from "../../../src/alerts/channels/telegram.js";
import type { Channel, ChannelName } from "../../../src/alerts/queue.js";
import {
  startFakeBotApi,
  type FakeBotApi,
} from "../../support/fake-bot-api.js";
import { quietLogger, type ManualClock } from "../fixtures.js";

/** A fake Bot API on the clock and a Telegram channel pointed at it. */
export async function fakeTelegram(clock: ManualClock, maxMessageChars = 4000) {
  const fake: FakeBotApi = await startFakeBotApi({ now: clock.now });
  const bot = new Bot(fake.token, {
    client: { apiRoot: fake.url, timeoutSeconds: 1 },
  });
  let throttled = 0;
  const channel = new TelegramChannel({
    bot,
    logger: quietLogger(),
    maxMessageChars,
    managerWebUrl: "http://127.0.0.1:8080",
    requeueButton: defaultRequeueButton,
    blockedRetryMs: 900_000,
    onThrottled: () => (throttled += 1),
  });
  return {
    fake,
    channel,
    throttled: () => throttled,
    entry: (): [ChannelName, Channel] => ["telegram", channel],
  };
}
