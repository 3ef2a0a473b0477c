import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CollectorFailure } from "../../src/agent/collector.js";
import { VersionsCollector } from "../../src/agent/collectors/versions.js";
import { WorkerUnitCollector } from "../../src/agent/collectors/worker-unit.js";
import { FakeBin } from "../support/fakes/fake-bin.js";
import { agentConfig, FIXTURES } from "./helpers.js";

const SYSTEMCTL = path.join(FIXTURES, "systemctl");

let bin: FakeBin;
beforeEach(() => {
  bin = new FakeBin();
});
afterEach(() => bin.remove());

function unitCollector(systemctlPath: string, timeout = 5) {
  const cfg = agentConfig({
    workerUnit: { systemctlPath, systemctlTimeoutSeconds: timeout },
  });
  return new WorkerUnitCollector(cfg);
}

describe("WorkerUnitCollector", () => {
  it("reads active state, sub state, restarts and last exit status", async () => {
    const fake = bin.printing("systemctl", `${SYSTEMCTL}/active.txt`);
    const { worker } = (await unitCollector(fake).collect()).patch;
    expect(worker).toEqual({
      unit: "flamenco-worker.service",
      activeState: "active",
      loadState: "loaded",
      subState: "running",
      restarts: 0,
      lastExitStatus: 0,
      workerPath: "/opt/flamenco/flamenco-worker",
    });
  });

  it("exposes a restart loop with exit 47 as restarts and exit status", async () => {
    const fake = bin.printing("systemctl", `${SYSTEMCTL}/restart-loop.txt`);
    const out = await unitCollector(fake).collect();
    const labels = { unit: "flamenco-worker.service" };
    expect(out.samples).toContainEqual({
      name: "farmwatch_worker_unit_restarts_total",
      labels,
      value: 12,
    });
    expect(out.samples).toContainEqual({
      name: "farmwatch_worker_unit_last_exit_status",
      labels,
      value: 47,
    });
    expect(out.samples).toContainEqual({
      name: "farmwatch_worker_unit_sub_state",
      labels: { ...labels, state: "auto-restart" },
      value: 1,
    });
  });

  it("reports an unknown unit as not_found", async () => {
    const fake = bin.printing("systemctl", `${SYSTEMCTL}/not-found.txt`);
    const { worker } = (await unitCollector(fake).collect()).patch;
    expect(worker!.activeState).toBe("not_found");
  });

  it("reports a machine without systemd as the state no_systemd", async () => {
    const fake = bin.failing(
      "systemctl",
      "System has not been booted with systemd as init system (PID 1). " +
        "Can't operate.",
    );
    const out = await unitCollector(fake).collect();
    expect(out.samples).toContainEqual({
      name: "farmwatch_worker_unit_active_state",
      labels: { unit: "flamenco-worker.service", state: "no_systemd" },
      value: 1,
    });
  });

  it("reports a missing systemctl as no_systemd too", async () => {
    const out = await unitCollector(`${bin.dir}/systemctl`).collect();
    expect(out.patch.worker!.activeState).toBe("no_systemd");
  });

  it("fails with timeout when systemctl hangs", async () => {
    const c = unitCollector(bin.hanging("systemctl"), 0.3);
    const err = await c.collect().catch((e: unknown) => e);
    expect((err as CollectorFailure).reason).toBe("timeout");
    await c.close();
  });

  it("fails with parse_error on output without ActiveState", async () => {
    const fake = bin.write("systemctl", "echo garbage");
    const err = await unitCollector(fake)
      .collect()
      .catch((e: unknown) => e);
    expect((err as CollectorFailure).reason).toBe("parse_error");
  });
});

describe("VersionsCollector", () => {
  it("reads Blender and worker versions with the worker's path from the unit", async () => {
    const blender = bin.write(
      "blender",
      'echo "Blender 4.2.3 LTS"\necho "	build date: 2024-10-15"',
    );
    const worker = bin.write("flamenco-worker", 'echo "Flamenco 3.5 (abc123)"');
    const systemctl = bin.write(
      "systemctl",
      `echo "ExecStart={ path=${worker} ; argv[]=${worker} ; }"`,
    );
    const cfg = agentConfig({
      versions: { blenderPath: blender },
      workerUnit: { systemctlPath: systemctl },
    });
    const out = await new VersionsCollector(cfg).collect();
    expect(out.samples).toEqual([
      {
        name: "farmwatch_blender_info",
        labels: { version: "4.2.3", path: blender },
        value: 1,
      },
      {
        name: "farmwatch_flamenco_worker_info",
        labels: { version: "3.5", path: worker },
        value: 1,
      },
    ]);
  });

  it("leaves out a Blender that is not installed", async () => {
    const cfg = agentConfig({
      versions: { blenderPath: `${bin.dir}/blender`, workerPath: "/no/such" },
    });
    const out = await new VersionsCollector(cfg).collect();
    expect(out.samples).toEqual([]);
  });
});
