import { describe, expect, it } from "vitest";
import {
  gpuHot,
  gpuQueryFailing,
  gpuThrottled,
} from "../../../src/alerts/rules/gpu.js";
import {
  agentDown,
  memoryLow,
  versionMismatch,
} from "../../../src/alerts/rules/nodes.js";
import {
  mountNearlyFull,
  mountProblems,
} from "../../../src/alerts/rules/mounts.js";
import {
  tailscaleDown,
  tailscaleKeyExpiring,
  tailscalePeers,
} from "../../../src/alerts/rules/tailscale.js";
import type { Rule } from "../../../src/alerts/rules/types.js";
import type {
  NodeSnapshot,
  TailscalePeerView,
} from "../../../src/shared/views.js";
import {
  farm,
  mount,
  node,
  nodes,
  NOW,
  ruleInput,
  worker,
} from "../fixtures.js";

function fire(rule: Rule, ...snaps: NodeSnapshot[]): string[] {
  return rule(ruleInput({ nodes: nodes(...snaps) })).map((c) => c.name);
}

const gpu = (p: object) => ({
  id: "GPU-1",
  name: "RTX",
  vendor: "nvidia" as const,
  ...p,
});
const peer = (p: Partial<TailscalePeerView>): TailscalePeerView => ({
  hostName: "manager",
  addresses: ["100.64.0.2"],
  online: true,
  direct: true,
  expired: false,
  role: "manager",
  ...p,
});

describe("node rules", () => {
  it("fires FarmwatchAgentDown for an expected agent that does not answer", () => {
    const c = agentDown(
      ruleInput({ nodes: nodes(["render-03", "ECONNREFUSED"]) }),
    );
    expect(c.map((x) => x.labels)).toEqual([{ node: "render-03" }]);
  });

  it("stays silent while every agent answers", () => {
    expect(fire(agentDown, node())).toEqual([]);
  });

  it("fires FarmwatchNodeMemoryLow below 5 % available", () => {
    expect(
      fire(
        memoryLow,
        node({ host: { memoryAvailableBytes: 2e9, memoryTotalBytes: 64e9 } }),
      ),
    ).toEqual(["FarmwatchNodeMemoryLow"]);
  });

  it("keeps FarmwatchNodeMemoryLow until memory rises above the clear level", () => {
    const snap = node({
      host: { memoryAvailableBytes: 4e9, memoryTotalBytes: 64e9 },
    });
    const active = ruleInput({ nodes: nodes(snap), isActive: () => true });
    expect(memoryLow(active)).toHaveLength(1);
    expect(fire(memoryLow, snap)).toEqual([]);
  });

  it("fires FarmwatchVersionMismatch when Blender versions differ", () => {
    const a = node({
      worker: { unit: "u", activeState: "active", blenderVersion: "4.2.1" },
    });
    const b = node({
      node: "render-02",
      worker: { unit: "u", activeState: "active", blenderVersion: "4.1.0" },
    });
    expect(
      versionMismatch(ruleInput({ nodes: nodes(a, b) })).map((c) => c.labels),
    ).toEqual([{ component: "blender" }]);
  });

  it("fires FarmwatchVersionMismatch when worker versions differ", () => {
    const f = farm({
      workers: [worker(), worker({ name: "render-02", version: "3.6" })],
    });
    expect(
      versionMismatch(ruleInput({ farm: f })).map((c) => c.labels),
    ).toEqual([{ component: "worker" }]);
  });

  it("stays silent when every node runs the same versions", () => {
    expect(versionMismatch(ruleInput())).toEqual([]);
  });
});

describe("GPU rules", () => {
  it("fires FarmwatchGpuQueryFailing when the GPU collector fails", () => {
    const s = node({
      collectors: { gpu: { ok: false, reason: "device_lost" } },
    });
    expect(fire(gpuQueryFailing, s)).toEqual(["FarmwatchGpuQueryFailing"]);
  });

  it("fires FarmwatchGpuHot at 88 °C", () => {
    expect(
      fire(gpuHot, node({ gpus: [gpu({ temperatureCelsius: 88 })] })),
    ).toEqual(["FarmwatchGpuHot"]);
  });

  it("keeps FarmwatchGpuHot between the clear level and the threshold once firing", () => {
    const s = node({ gpus: [gpu({ temperatureCelsius: 85 })] });
    expect(fire(gpuHot, s)).toEqual([]);
    expect(
      gpuHot(ruleInput({ nodes: nodes(s), isActive: () => true })),
    ).toHaveLength(1);
  });

  it("fires FarmwatchGpuThrottled for thermal throttling", () => {
    const s = node({
      gpus: [gpu({ throttleReasons: ["sw_thermal_slowdown"] })],
    });
    expect(fire(gpuThrottled, s)).toEqual(["FarmwatchGpuThrottled"]);
  });

  it("stays silent for an idle-clocks throttle reason", () => {
    const s = node({ gpus: [gpu({ throttleReasons: ["gpu_idle"] })] });
    expect(fire(gpuThrottled, s)).toEqual([]);
  });

  it("stays silent for a healthy GPU", () => {
    expect([...fire(gpuHot, node()), ...fire(gpuQueryFailing, node())]).toEqual(
      [],
    );
  });
});

describe("mount rules", () => {
  it.each([
    [{ state: "missing", up: false }, "FarmwatchMountDown"],
    [{ state: "hung", up: false, hung: true }, "FarmwatchMountHung"],
    [{ state: "readonly", readOnly: true }, "FarmwatchMountReadOnly"],
    [{ state: "stale", up: false }, "FarmwatchMountStale"],
    [{ state: "wrong_share" }, "FarmwatchMountWrongShare"],
  ] as const)("classifies %o as %s", (m, name) => {
    expect(fire(mountProblems, node({ mounts: [mount(m)] }))).toEqual([name]);
  });

  it("fires FarmwatchMountWrongShare for a node mounting another share than the farm", () => {
    const a = node();
    const b = node({ node: "render-02" });
    const odd = node({
      node: "render-03",
      mounts: [mount({ source: "nas02:/scratch" })],
    });
    const c = mountProblems(ruleInput({ nodes: nodes(a, b, odd) }));
    expect(c.map((x) => [x.name, x.labels.node])).toEqual([
      ["FarmwatchMountWrongShare", "render-03"],
    ]);
  });

  it("fires FarmwatchMountNearlyFull below 5 % free", () => {
    const s = node({ mounts: [mount({ freeBytes: 40e9 })] });
    expect(fire(mountNearlyFull, s)).toEqual(["FarmwatchMountNearlyFull"]);
  });

  it("stays silent for a healthy, roomy mount", () => {
    expect([
      ...fire(mountProblems, node()),
      ...fire(mountNearlyFull, node()),
    ]).toEqual([]);
  });
});

describe("Tailscale rules", () => {
  const ts = (p: object) => ({
    state: "Running",
    up: true,
    mode: "tun" as const,
    health: [],
    peers: [],
    ...p,
  });

  it("fires FarmwatchTailscaleDown when logged out", () => {
    expect(
      fire(
        tailscaleDown,
        node({ tailscale: ts({ state: "NeedsLogin", up: false }) }),
      ),
    ).toEqual(["FarmwatchTailscaleDown"]);
  });

  it("fires FarmwatchTailscaleKeyExpiring within 7 days of expiry", () => {
    const expiry = new Date(NOW + 3 * 86400_000).toISOString();
    expect(
      fire(
        tailscaleKeyExpiring,
        node({ tailscale: ts({ selfKeyExpiry: expiry }) }),
      ),
    ).toEqual(["FarmwatchTailscaleKeyExpiring"]);
  });

  it("fires FarmwatchTailscalePeerRelayed when the Manager is reached only via DERP", () => {
    const s = node({
      tailscale: ts({ peers: [peer({ direct: false, relay: "fra" })] }),
    });
    expect(fire(tailscalePeers, s)).toEqual(["FarmwatchTailscalePeerRelayed"]);
  });

  it("fires FarmwatchTailscalePeerUnreachable when the NAS is offline", () => {
    const s = node({
      tailscale: ts({
        peers: [peer({ hostName: "nas01", role: "nas", online: false })],
      }),
    });
    expect(fire(tailscalePeers, s)).toEqual([
      "FarmwatchTailscalePeerUnreachable",
    ]);
  });

  it("stays silent for a running node with direct peers and a distant key expiry", () => {
    const far = new Date(NOW + 90 * 86400_000).toISOString();
    const s = node({
      tailscale: ts({ selfKeyExpiry: far, peers: [peer({})] }),
    });
    expect([
      ...fire(tailscaleDown, s),
      ...fire(tailscaleKeyExpiring, s),
      ...fire(tailscalePeers, s),
    ]).toEqual([]);
  });
});
