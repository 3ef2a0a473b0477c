import type { PartContext, RunningPart } from "../shared/part.js";
import { ScaledClock } from "./clock.js";
import { startSimServer } from "./server.js";

/** Real milliseconds between model updates of the running simulator. */
const TICK_MS = 250;

/**
 * Starts the simulated Flamenco Manager from `config.sim`: the Manager API
 * under `/api/v3`, the control API under `/sim`.
 */
export async function startSim(ctx: PartContext): Promise<RunningPart> {
  const cfg = ctx.config.sim;
  const sim = await startSimServer({
    farm: {
      seed: cfg.seed,
      workers: cfg.workers,
      jobs: cfg.jobs,
      unfinishedJobs: cfg.unfinishedJobs,
      framesPerJob: cfg.framesPerJob,
      chunkSize: cfg.chunkSize,
      frameSeconds: cfg.frameSeconds,
      failureRatio: cfg.failureRatio,
      windowsWorker: cfg.windowsWorker,
      blenderVersions: [...cfg.blenderVersions],
      keepBusy: true,
      managerVersion: cfg.managerVersion,
      managerName: cfg.managerName,
    },
    clock: new ScaledClock(cfg.speed),
    listen: cfg.listen,
    logger: ctx.logger,
    tickMs: TICK_MS,
  });
  ctx.logger.info(
    {
      url: sim.url,
      simulated: true,
      workers: cfg.workers,
      jobs: cfg.jobs,
      speed: cfg.speed,
      seed: cfg.seed,
      managerVersion: cfg.managerVersion,
    },
    "SIMULATED Flamenco Manager started",
  );
  return { name: "sim", url: sim.url, close: () => sim.close() };
}
