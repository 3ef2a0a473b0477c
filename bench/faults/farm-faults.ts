import type { FaultCase } from "./case.js";
import type { FaultFarm } from "./farm.js";
import { hangTaskOf, queuedJob, simControl, simState } from "./sim-state.js";

/** The simulated worker that goes silent (not the one with the agent). */
const SILENT_WORKER = "render-02";
/** The worker whose failures are injected. */
const FAILING_WORKER = "render-03";

async function resume(farm: FaultFarm, worker: string): Promise<void> {
  await simControl(farm, `/sim/workers/${worker}/resume`);
}

/** Render jobs going wrong while the Manager itself is fine. */
export const FARM_FAULTS: readonly FaultCase[] = [
  {
    name: "worker silent (no heartbeat)",
    alerts: [{ alertname: "FlamencoWorkerStalled" }],
    inject: async (farm) => {
      await simControl(farm, `/sim/workers/${SILENT_WORKER}/stop-heartbeat`);
    },
    heal: (farm) => resume(farm, SILENT_WORKER),
  },
  {
    name: "render hung (task active, no progress)",
    alerts: [{ alertname: "FlamencoRenderHung" }],
    inject: async (farm) => {
      await hangTaskOf(farm, farm.layout.nodeName);
    },
    heal: (farm) => resume(farm, farm.layout.nodeName),
  },
  {
    name: "frames failing",
    alerts: [{ alertname: "FlamencoFramesFailed" }],
    // A queued job's failed tasks stay soft-failed until it runs; an active
    // job's are taken again within one poll at this speed (see report).
    inject: async (farm) => {
      const job = await queuedJob(farm);
      await simControl(farm, `/sim/jobs/${job.id}/fail-frames`, {
        count: 2,
        worker: FAILING_WORKER,
      });
    },
    // Failed tasks leave the farm view after the exporter's retention.
    heal: async () => undefined,
    after: async (farm) => {
      const w = (await simState(farm)).workers.find(
        (x) => x.name === FAILING_WORKER,
      );
      return w === undefined ? [`${FAILING_WORKER} vanished`] : [];
    },
  },
];
