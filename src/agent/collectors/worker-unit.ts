import type { Config } from "../../shared/config/schema.js";
import type { WorkerUnitView } from "../../shared/views.js";
import {
  CallStats,
  CollectorFailure,
  type Collector,
  type CollectorOutput,
  type Sample,
} from "../collector.js";
import { SingleFlightCommand } from "../exec.js";
import {
  NO_SYSTEMD,
  UNIT_PROPERTIES,
  execStartPath,
  parseSystemctlShow,
} from "../systemctl-show.js";

type AgentConfig = Config["agent"];

/** Active states always exposed (one-hot). */
export const UNIT_ACTIVE_STATES = [
  "active",
  "reloading",
  "inactive",
  "failed",
  "activating",
  "deactivating",
  "no_systemd",
  "not_found",
];

/**
 * The Flamenco Worker's systemd unit through `systemctl show`, timed out.
 * No systemd (a container, or systemd not PID 1) and an unknown unit are
 * states, not failures.
 */
export class WorkerUnitCollector implements Collector {
  readonly name = "worker_unit";
  readonly calls = new CallStats();
  readonly intervalSeconds: number;
  private readonly command = new SingleFlightCommand(this.calls);

  constructor(private readonly config: AgentConfig) {
    const w = config.workerUnit;
    this.intervalSeconds = w.intervalSeconds ?? config.intervalSeconds;
  }

  async collect(): Promise<CollectorOutput> {
    const view = await this.read();
    return { samples: unitSamples(view), patch: { worker: view } };
  }

  async close(): Promise<void> {
    this.command.kill();
  }

  private async read(): Promise<WorkerUnitView> {
    const w = this.config.workerUnit;
    const unit = w.unitName;
    let props: Record<string, string>;
    try {
      const r = await this.command.run(
        w.systemctlPath,
        ["show", unit, `--property=${UNIT_PROPERTIES.join(",")}`, "--no-pager"],
        w.systemctlTimeoutSeconds,
      );
      props = parseSystemctlShow(r.stdout);
    } catch (err) {
      if (!(err instanceof CollectorFailure)) throw err;
      const noSystemd =
        err.reason === "missing_binary" ||
        (err.reason === "error_exit" && NO_SYSTEMD.test(err.message));
      if (noSystemd) return { unit, activeState: "no_systemd" };
      throw err;
    }
    return unitView(unit, props);
  }
}

function unitView(unit: string, p: Record<string, string>): WorkerUnitView {
  if (p.LoadState === "not-found") {
    return { unit, activeState: "not_found", loadState: p.LoadState };
  }
  if (!p.ActiveState) {
    throw new CollectorFailure(
      "parse_error",
      `systemctl show ${unit}: no ActiveState in the output`,
    );
  }
  const view: WorkerUnitView = { unit, activeState: p.ActiveState };
  if (p.LoadState) view.loadState = p.LoadState;
  if (p.SubState) view.subState = p.SubState;
  const restarts = Number(p.NRestarts);
  if (p.NRestarts && Number.isFinite(restarts)) view.restarts = restarts;
  const status = Number(p.ExecMainStatus);
  if (p.ExecMainStatus && Number.isFinite(status)) view.lastExitStatus = status;
  const bin = execStartPath(p.ExecStart);
  if (bin) view.workerPath = bin;
  return view;
}

function unitSamples(v: WorkerUnitView): Sample[] {
  const unit = v.unit;
  const states = UNIT_ACTIVE_STATES.includes(v.activeState)
    ? UNIT_ACTIVE_STATES
    : [...UNIT_ACTIVE_STATES, v.activeState];
  const out: Sample[] = states.map((state) => ({
    name: "farmwatch_worker_unit_active_state",
    labels: { unit, state },
    value: state === v.activeState ? 1 : 0,
  }));
  if (v.subState) {
    out.push({
      name: "farmwatch_worker_unit_sub_state",
      labels: { unit, state: v.subState },
      value: 1,
    });
  }
  if (v.restarts !== undefined) {
    out.push({
      name: "farmwatch_worker_unit_restarts_total",
      labels: { unit },
      value: v.restarts,
    });
  }
  if (v.lastExitStatus !== undefined) {
    out.push({
      name: "farmwatch_worker_unit_last_exit_status",
      labels: { unit },
      value: v.lastExitStatus,
    });
  }
  return out;
}
