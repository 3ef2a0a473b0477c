import type { FaultCase } from "./case.js";
import type { FaultFarm } from "./farm.js";
import { waitFor } from "./http.js";
import { simControl } from "./sim-state.js";
import type { FarmView } from "../../src/shared/views.js";

const MANAGER_DOWN = [{ alertname: "FlamencoManagerDown" }] as const;

/** How long the simulator refuses connections, real seconds. */
const REFUSE_SECONDS = 6;

async function setFault(farm: FaultFarm, spec: object): Promise<void> {
  await simControl(farm, "/sim/faults", spec);
}

/**
 * While the Manager is away the exporter keeps serving the last good view:
 * marked stale and not up, with the workers it knew.
 */
async function lastGoodViewKept(farm: FaultFarm): Promise<string[]> {
  const got = await farm.call("exporter", "/api/v1/farm");
  const view = got.json as FarmView | undefined;
  if (got.status !== 200 || view === undefined) {
    return [`exporter /api/v1/farm answered ${got.status} during the fault`];
  }
  const problems: string[] = [];
  if (view.up) problems.push("farm view says up while the Manager fails");
  if (view.workers.length === 0) {
    problems.push("farm view lost its workers while the Manager failed");
  }
  return problems;
}

async function managerBack(farm: FaultFarm): Promise<void> {
  const back = await waitFor(async () => {
    const v = await farm.call("exporter", "/api/v1/farm");
    return (v.json as FarmView | undefined)?.up === true || undefined;
  }, 20_000);
  if (!back) throw new Error("exporter never saw the Manager again");
}

/** The Manager down, refusing, failing and garbling its answers. */
export const MANAGER_FAULTS: readonly FaultCase[] = [
  {
    name: "manager down (connection refused)",
    alerts: MANAGER_DOWN,
    // Refusing connections is the fault: the simulator cannot answer.
    silent: ["sim"],
    inject: (farm) =>
      setFault(farm, { mode: "refuse", durationSeconds: REFUSE_SECONDS }),
    during: lastGoodViewKept,
    heal: managerBack,
  },
  {
    name: "manager 503 with Retry-After",
    alerts: MANAGER_DOWN,
    inject: (farm) => setFault(farm, { mode: "503", retryAfterSeconds: 1 }),
    during: lastGoodViewKept,
    heal: async (farm) => {
      await setFault(farm, { mode: "none" });
      await managerBack(farm);
    },
  },
  {
    name: "manager slow (beyond the request timeout)",
    alerts: MANAGER_DOWN,
    inject: (farm) => setFault(farm, { mode: "slow", delaySeconds: 4 }),
    during: lastGoodViewKept,
    heal: async (farm) => {
      await setFault(farm, { mode: "none" });
      await managerBack(farm);
    },
  },
  {
    name: "manager answers unknown enum values",
    // The rest of each answer is still usable: no alert, the view stays up.
    alerts: [],
    inject: (farm) => setFault(farm, { mode: "unknown-enum" }),
    during: async (farm) => {
      await waitFor(() => undefined, 2000);
      const problems: string[] = [];
      const m = await farm.call("exporter", "/metrics");
      if (
        !/flamenco_api_validation_errors_total\{[^}]*unknown_enum/.test(m.text)
      ) {
        problems.push("unknown enum values not counted as validation errors");
      }
      const v = (await farm.call("exporter", "/api/v1/farm")).json as
        FarmView | undefined;
      if (!v?.up || v.workers.length === 0) {
        problems.push(
          "farm view not up with its workers despite usable answers",
        );
      }
      return problems;
    },
    heal: (farm) => setFault(farm, { mode: "none" }),
  },
  {
    name: "manager answers malformed JSON",
    alerts: MANAGER_DOWN,
    inject: (farm) => setFault(farm, { mode: "malformed" }),
    during: async (farm) => {
      const problems = await lastGoodViewKept(farm);
      const m = await farm.call("exporter", "/metrics");
      if (
        !/flamenco_api_validation_errors_total\{[^}]*malformed/.test(m.text)
      ) {
        problems.push("malformed answers not counted as validation errors");
      }
      return problems;
    },
    heal: async (farm) => {
      await setFault(farm, { mode: "none" });
      await managerBack(farm);
    },
  },
];
