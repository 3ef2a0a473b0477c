import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startTestSim } from "../test/support/sim.js";
import {
  CHILD_ENV,
  DELAY_INTERVAL_SECONDS,
  type ChildResult,
  type Subject,
} from "./exporter-child.js";
import type { BenchMeasure, BenchResult } from "./types.js";

export type { ChildResult } from "./exporter-child.js";

/**
 * farmwatch's exporter against a naive poller that reads every job's tasks
 * each cycle, both on the same simulated farm. Each poller runs in its own
 * child process, so CPU and RSS are its own; the simulator runs here.
 */

/** Longest a child may run before it is killed, ms. */
const CHILD_LIMIT_MS = 300_000;

/** The farm of the issue: 100 workers, 2,000 jobs (20 unfinished), 200,000 tasks. */
export const FARM = {
  workers: 100,
  jobs: 2000,
  unfinishedJobs: 20,
  framesPerJob: 100,
  chunkSize: 1,
  keepBusy: true,
};

export default async function run(): Promise<BenchResult[]> {
  const sim = await startTestSim(FARM);
  try {
    const fw = await runChild("farmwatch", sim.url, 5, true);
    const naive = await runChild("naive", sim.url, 2, true);
    return [compare(fw, naive)];
  } finally {
    await sim.close();
  }
}

/** Runs one poller in a child process against `simUrl`. */
export function runChild(
  subject: Subject,
  simUrl: string,
  cycles: number,
  measureDelay: boolean,
): Promise<ChildResult> {
  const child = fork(
    fileURLToPath(new URL("./exporter-child.ts", import.meta.url)),
    [],
    {
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        [CHILD_ENV]: JSON.stringify({ subject, simUrl, cycles, measureDelay }),
      },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_LIMIT_MS);
    child.once("message", (m) => resolve(m as ChildResult));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${subject} bench child exited ${code}`));
    });
  });
}

function measure(
  name: string,
  unit: string,
  subject: number,
  peer: number,
  target?: string,
  targetMet?: boolean,
): BenchMeasure {
  return { name, unit, subject, peer, lowerIsBetter: true, target, targetMet };
}

function compare(fw: ChildResult, naive: ChildResult): BenchResult {
  const ratio = naive.requestsPerCycle / fw.requestsPerCycle;
  return {
    name: "exporter vs naive poller (100 workers, 2,000 jobs, 200,000 tasks)",
    subject: "farmwatch exporter",
    peer: "naive poller",
    measures: [
      measure(
        "Manager requests per cycle",
        "requests",
        fw.requestsPerCycle,
        naive.requestsPerCycle,
        ">= 50x fewer",
        ratio >= 50,
      ),
      measure(
        "Manager bytes per cycle",
        "MB",
        fw.bytesPerCycle / 1e6,
        naive.bytesPerCycle / 1e6,
      ),
      measure(
        "poller CPU per cycle",
        "ms",
        fw.cpuMsPerCycle,
        naive.cpuMsPerCycle,
      ),
      measure("RSS after polling", "MB", fw.rssMb, naive.rssMb),
      measure(
        "scrape latency",
        "ms",
        fw.scrapeMs,
        naive.scrapeMs,
        "< 50 ms",
        fw.scrapeMs < 50,
      ),
      measure(
        "frame failure to farm view, mean",
        "ms",
        fw.failureDelayMs,
        naive.failureDelayMs,
      ),
      measure(
        "frame failure to farm view, worst",
        "ms",
        fw.failureDelayMaxMs,
        naive.failureDelayMaxMs,
        `<= one interval (${DELAY_INTERVAL_SECONDS} s)`,
        fw.failureDelayMaxMs <= DELAY_INTERVAL_SECONDS * 1000,
      ),
    ],
    notes: [
      "each poller in its own process; the simulator in the bench process",
      "cycle: sim advanced 10 s, one poll; after two warm-up polls",
      `failure delay: real poll loop every ${DELAY_INTERVAL_SECONDS} s, ` +
        "four frames failed via /sim at spread-out moments of the cycle",
    ],
  };
}
