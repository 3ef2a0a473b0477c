import { createLogger } from "../../src/shared/logger.js";
import { ManualClock } from "../../src/sim/clock.js";
import type { Farm, FarmOptions } from "../../src/sim/farm.js";
import {
  startSimServer,
  type SimPlugin,
  type SimServer,
} from "../../src/sim/server.js";

/** Farm time at which test farms start: Monday 2026-01-05 09:00 UTC. */
export const TEST_START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Options of {@link startTestSim}: any farm option, defaults below. */
export type TestSimOptions = Partial<FarmOptions> & {
  /** Additions such as an event transport; default none. */
  plugins?: SimPlugin[];
};

/** A running simulated Manager for a test. */
export interface TestSim {
  /** Base URL, e.g. `http://127.0.0.1:43121` (no trailing slash). */
  url: string;
  farm: Farm;
  sim: SimServer;
  clock: ManualClock;
  /** Moves farm time forward and simulates it, farm seconds. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

/**
 * Starts a simulated Manager on 127.0.0.1, port 0, with a manual clock
 * (time moves only with `advance`) and no automatic job submission.
 * Defaults: 4 workers, 2 jobs (both unfinished), 10 frames of 1 per task,
 * 30 s per frame, no random failures, seed 1, Manager 3.8.
 */
export async function startTestSim(
  opts: TestSimOptions = {},
): Promise<TestSim> {
  const clock = new ManualClock(TEST_START_MS);
  const { plugins, ...farmOpts } = opts;
  const jobs = farmOpts.jobs ?? 2;
  const sim = await startSimServer({
    farm: {
      seed: 1,
      workers: 4,
      jobs,
      unfinishedJobs: jobs,
      framesPerJob: 10,
      chunkSize: 1,
      frameSeconds: 30,
      failureRatio: 0,
      windowsWorker: false,
      blenderVersions: ["4.2.3"],
      keepBusy: false,
      managerVersion: "3.8",
      managerName: "Test Manager",
      ...farmOpts,
    },
    plugins,
    clock,
    listen: { host: "127.0.0.1", port: 0 },
    logger: createLogger({ level: "silent" }),
    tickMs: 0,
  });
  return {
    url: sim.url,
    farm: sim.farm,
    sim,
    clock,
    advance: (seconds) => sim.advance(seconds * 1000),
    close: () => sim.close(),
  };
}

/** One HTTP answer as tests look at it. */
export interface Answer {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  /** The parsed body; undefined when empty or not JSON. */
  json: unknown;
}

/** Sends one request to the simulator (JSON body if given). */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (text/plain log tails, malformed faults): text carries it.
    json = undefined;
  }
  return {
    status: res.status,
    headers: res.headers,
    contentType: res.headers.get("content-type") ?? "",
    text,
    json,
  };
}
