import { closeSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import path from "node:path";
import type { FaultCase } from "./case.js";
import { ALERT_CHAT_ID, type FaultFarm } from "./farm.js";
import { request, waitFor } from "./http.js";
import { killPart } from "./proc.js";
import { clearAlert, raiseAlert } from "./delivery-faults.js";

const STALLED = [{ alertname: "FlamencoWorkerStalled" }] as const;
const FILLER = "filler.bin";
/** Largest filler write, bytes; the tmpfs is filled chunk by chunk. */
const CHUNK_BYTES = 64 * 1024;

/** Fills the file system holding `dir` until it reports ENOSPC. */
export function fillDisk(dir: string): number {
  const fd = openSync(path.join(dir, FILLER), "w");
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let written = 0;
  try {
    // Bounded: a 2 MB tmpfs takes at most a few dozen chunks.
    for (let i = 0; i < 10_000; i++) {
      try {
        written += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOSPC") break;
        throw err;
      }
    }
    for (let size = CHUNK_BYTES / 2; size >= 1; size = Math.floor(size / 2)) {
      try {
        written += writeSync(fd, chunk.subarray(0, size));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Free bytes below which the state file system counts as full. */
const FULL_BELOW_BYTES = 8192;

/** The state disk really is full, and the alerts part still answers. */
async function fullAndAlive(farm: FaultFarm): Promise<string[]> {
  const problems: string[] = [];
  const fs = statfsSync(farm.layout.stateDir);
  const free = fs.bavail * fs.bsize;
  if (free >= FULL_BELOW_BYTES) problems.push(`state disk not full: ${free} B`);
  const h = await request(`${farm.url("alerts")}/healthz`);
  if (h.status === 0) problems.push(`alerts /healthz: ${h.text}`);
  return problems;
}

/** The alerts process itself in trouble: killed, out of disk. */
export const CRASH_FAULTS: readonly FaultCase[] = [
  {
    name: "alerts killed -9 mid-delivery",
    alerts: STALLED,
    fireSinks: ["outbox"],
    // Killed is the fault: it answers again once restarted.
    silent: ["alerts"],
    inject: async (farm) => {
      // The first message to the chat hangs: the kill lands while it is
      // in flight, neither acknowledged nor given up.
      farm.bot.failNext({ kind: "hang", chatId: ALERT_CHAT_ID });
      const from = farm.bot.calls.length;
      await raiseAlert(farm);
      await farm.bot.waitForCall("sendMessage", {
        from,
        arrived: true,
        timeoutMs: 20_000,
      });
      await killPart(farm.parts.get("alerts")!);
    },
    during: async () => [],
    heal: async (farm) => {
      await clearAlert(farm);
      await farm.start("alerts");
    },
  },
  {
    name: "state disk full (tmpfs filled)",
    skip: (farm) => (farm.canMount ? undefined : "cannot mount tmpfs here"),
    alerts: STALLED,
    fireSinks: [],
    inject: async (farm) => {
      fillDisk(farm.layout.stateDir);
      await raiseAlert(farm);
      // Long enough for several evaluations and delivery attempts.
      await waitFor(() => undefined, 4000);
    },
    during: fullAndAlive,
    heal: async (farm) => {
      rmSync(path.join(farm.layout.stateDir, FILLER), { force: true });
      await clearAlert(farm);
    },
  },
];
