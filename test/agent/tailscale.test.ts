import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CollectorFailure } from "../../src/agent/collector.js";
import { TailscaleCollector } from "../../src/agent/collectors/tailscale.js";
import { FakeBin } from "../support/fakes/fake-bin.js";
import { agentConfig, captureLogger, FIXTURES } from "./helpers.js";

const TS = path.join(FIXTURES, "tailscale");
const EMPTY_SYS = path.join(FIXTURES, "proc");

let bin: FakeBin;
beforeEach(() => {
  bin = new FakeBin();
});
afterEach(() => bin.remove());

function collector(
  fixture: string,
  opts: { sysPath?: string; addresses?: Record<string, string[]> } = {},
  tailscale: Record<string, unknown> = {},
) {
  const tailscalePath = bin.printing("tailscale", path.join(TS, fixture));
  const cfg = agentConfig({
    ...(opts.sysPath && { sysPath: opts.sysPath }),
    tailscale: { tailscalePath, ...tailscale },
  });
  const log = captureLogger();
  const c = new TailscaleCollector(cfg, log.logger, () => opts.addresses ?? {});
  return { c, lines: log.lines };
}

describe("TailscaleCollector", () => {
  it("reports a logged-out daemon as down although tailscale0 is up", async () => {
    const { c } = collector("c16-needs-login.json");
    const { tailscale } = (await c.collect()).patch;
    expect(tailscale).toMatchObject({
      state: "NeedsLogin",
      up: false,
      mode: "tun",
      interface: { name: "tailscale0", present: true, up: true },
      health: ["logged out: re-authentication required"],
    });
  });

  it("treats operstate unknown with the UP flag as a healthy TUN", async () => {
    const { c } = collector("c16-expiring.json", {
      addresses: { tailscale0: ["100.64.0.13"] },
    });
    const out = await c.collect();
    expect(out.samples).toContainEqual({
      name: "farmwatch_tailscale_interface_up",
      labels: { interface: "tailscale0" },
      value: 1,
    });
    expect(out.patch.tailscale!.up).toBe(true);
  });

  it("exports the own key expiry and an expired NAS peer", async () => {
    const { c } = collector("c16-expiring.json", {}, { nasPeers: ["nas01"] });
    const out = await c.collect();
    expect(out.samples).toContainEqual({
      name: "farmwatch_tailscale_key_expiry_timestamp_seconds",
      value: Date.parse("2025-06-04T09:00:00Z") / 1000,
    });
    expect(out.samples).toContainEqual({
      name: "farmwatch_tailscale_peer_expired",
      labels: { peer: "nas01", role: "nas" },
      value: 1,
    });
  });

  it("reports userspace mode without an interface check", async () => {
    const { c } = collector("c18-userspace.json", { sysPath: EMPTY_SYS });
    const out = await c.collect();
    expect(out.patch.tailscale).toMatchObject({
      state: "Running",
      up: true,
      mode: "userspace",
    });
    const names = out.samples.map((s) => s.name);
    expect(names).not.toContain("farmwatch_tailscale_interface_up");
    expect(out.samples).toContainEqual({
      name: "farmwatch_tailscale_mode",
      labels: { mode: "userspace" },
      value: 1,
    });
  });

  it("warns once about NFS mounts to tailnet addresses in userspace mode", async () => {
    const { c, lines } = collector("c18-userspace.json", {
      sysPath: EMPTY_SYS,
    });
    await c.collect();
    const out = await c.collect();
    expect(out.patch.tailscale!.unroutableMounts).toEqual(["/mnt/render"]);
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
  });

  it("finds the interface carrying the Tailscale addresses by any name", async () => {
    const sys = mkdtempSync(path.join(os.tmpdir(), "fw-sys-"));
    try {
      const dir = path.join(sys, "class", "net", "ts-farm");
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "flags"), "0x1091\n");
      writeFileSync(path.join(dir, "carrier"), "1\n");
      const { c } = collector("c16-expiring.json", {
        sysPath: sys,
        addresses: { eth0: ["192.0.2.5"], "ts-farm": ["100.64.0.13"] },
      });
      const { tailscale } = (await c.collect()).patch;
      expect(tailscale!.interface).toMatchObject({
        name: "ts-farm",
        present: true,
        up: true,
      });
    } finally {
      rmSync(sys, { recursive: true, force: true });
    }
  });

  it("reports roles, direct and relayed paths of configured peers", async () => {
    const { c } = collector(
      "running-peers.json",
      {},
      { managerPeers: ["manager"], nasPeers: ["nas01", "nas02"] },
    );
    const { tailscale } = (await c.collect()).patch;
    expect(tailscale!.peers).toEqual([
      {
        hostName: "manager",
        addresses: ["100.64.0.1"],
        online: true,
        direct: true,
        relay: "fra",
        lastHandshake: "2025-06-02T11:59:30Z",
        expired: false,
        role: "manager",
      },
      {
        hostName: "nas01",
        addresses: ["100.64.0.2"],
        online: true,
        direct: false,
        relay: "fra",
        expired: false,
        role: "nas",
      },
      {
        hostName: "nas02",
        addresses: [],
        online: false,
        direct: false,
        expired: false,
        role: "nas",
      },
    ]);
  });

  it("says daemon_unreachable when tailscale cannot reach tailscaled", async () => {
    const tailscalePath = bin.failing(
      "tailscale",
      "failed to connect to local tailscaled; it doesn't appear to be running",
    );
    const cfg = agentConfig({ tailscale: { tailscalePath } });
    const c = new TailscaleCollector(cfg, captureLogger().logger, () => ({}));
    const out = await c.collect();
    expect(out.patch.tailscale).toMatchObject({
      state: "daemon_unreachable",
      up: false,
    });
    expect(out.samples).toContainEqual({
      name: "farmwatch_tailscale_backend_state",
      labels: { state: "daemon_unreachable" },
      value: 1,
    });
  });

  it("fails with timeout when tailscale status hangs", async () => {
    const tailscalePath = bin.hanging("tailscale");
    const cfg = agentConfig({
      tailscale: { tailscalePath, statusTimeoutSeconds: 0.3 },
    });
    const c = new TailscaleCollector(cfg, captureLogger().logger, () => ({}));
    const err = await c.collect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CollectorFailure);
    expect((err as CollectorFailure).reason).toBe("timeout");
    await c.close();
  });

  it("fails with parse_error on garbage output", async () => {
    const tailscalePath = bin.write("tailscale", "echo '<html>nope'");
    const cfg = agentConfig({ tailscale: { tailscalePath } });
    const c = new TailscaleCollector(cfg, captureLogger().logger, () => ({}));
    const err = await c.collect().catch((e: unknown) => e);
    expect((err as CollectorFailure).reason).toBe("parse_error");
  });
});
