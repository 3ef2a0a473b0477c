import type { FaultCase } from "./case.js";
import { ALERT_CHAT_ID, type FaultFarm } from "./farm.js";
import { simControl } from "./sim-state.js";

/** The worker whose silence stands for "something to tell the owner". */
const WORKER = "render-04";
const STALLED = [{ alertname: "FlamencoWorkerStalled" }] as const;

/** `retry_after` of the injected 429, seconds. */
const RETRY_AFTER_SECONDS = 2;

/** No message went to the chat before the 429's `retry_after` passed. */
function retryAfterHonoured(farm: FaultFarm): string[] {
  const sends = farm.bot.calls.filter(
    (c) =>
      c.method === "sendMessage" &&
      String(c.params.chat_id) === String(ALERT_CHAT_ID),
  );
  const limited = sends.findLast((c) => c.status === 429);
  if (limited === undefined) return ["no 429 was answered"];
  const next = sends.find((c) => c.at > limited.at);
  if (next === undefined) return ["nothing sent after the 429"];
  const waitedMs = next.at - limited.at;
  return waitedMs >= RETRY_AFTER_SECONDS * 1000
    ? []
    : [
        `sent again ${waitedMs} ms after a 429 asking for ${RETRY_AFTER_SECONDS} s`,
      ];
}

/** Makes an alert happen: a worker stops heartbeating. */
export async function raiseAlert(farm: FaultFarm): Promise<void> {
  await simControl(farm, `/sim/workers/${WORKER}/stop-heartbeat`);
}

/** Ends the alert raised by {@link raiseAlert}. */
export async function clearAlert(farm: FaultFarm): Promise<void> {
  await simControl(farm, `/sim/workers/${WORKER}/resume`);
}

/**
 * Channels failing while an alert fires and resolves: every notice must
 * still arrive once the channel is back, exactly once.
 */
export const DELIVERY_FAULTS: readonly FaultCase[] = [
  {
    name: "telegram 429 (retry_after)",
    alerts: STALLED,
    inject: async (farm) => {
      farm.bot.failNext({
        kind: "429",
        chatId: ALERT_CHAT_ID,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      });
      await raiseAlert(farm);
    },
    heal: clearAlert,
    after: async (farm) => retryAfterHonoured(farm),
  },
  {
    name: "telegram 403 (bot blocked)",
    alerts: STALLED,
    fireSinks: ["outbox", "email"],
    inject: async (farm) => {
      farm.bot.blockChat(ALERT_CHAT_ID);
      await raiseAlert(farm);
    },
    heal: async (farm) => {
      await clearAlert(farm);
      farm.bot.unblockChat(ALERT_CHAT_ID);
    },
  },
  {
    name: "telegram down (connection refused)",
    alerts: STALLED,
    fireSinks: ["outbox", "email"],
    inject: async (farm) => {
      await farm.botProxy.down();
      await raiseAlert(farm);
    },
    heal: async (farm) => {
      await clearAlert(farm);
      await farm.botProxy.up();
    },
  },
  {
    name: "smtp refusing (451)",
    alerts: STALLED,
    fireSinks: ["outbox", "telegram"],
    inject: async (farm) => {
      farm.smtp.mode = "refuse";
      await raiseAlert(farm);
    },
    heal: async (farm) => {
      await clearAlert(farm);
      farm.smtp.mode = "accept";
    },
  },
  {
    name: "smtp timing out (no greeting)",
    alerts: STALLED,
    fireSinks: ["outbox", "telegram"],
    inject: async (farm) => {
      farm.smtp.mode = "timeout";
      await raiseAlert(farm);
    },
    heal: async (farm) => {
      await clearAlert(farm);
      farm.smtp.mode = "accept";
    },
  },
];
