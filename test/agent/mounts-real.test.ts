import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { CallStats } from "../../src/agent/collector.js";
import { MountsCollector } from "../../src/agent/collectors/mounts.js";
import { MountProber } from "../../src/agent/mount-probe.js";
import { startAgent } from "../../src/agent/index.js";
import type { RunningPart } from "../../src/shared/part.js";
import type { MountView, NodeSnapshot } from "../../src/shared/views.js";
import {
  hungFuseMount,
  notRootReason,
  run,
  tmpfsMount,
  type HungMount,
} from "../support/fuse-hang.js";
import { agentConfig, captureLogger, testConfig } from "./helpers.js";

const skip = notRootReason();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Live child processes of this test process. */
function childPids(): number[] {
  const text = readFileSync(
    `/proc/${process.pid}/task/${process.pid}/children`,
    "utf8",
  );
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** remount,ro fails with EBUSY while a canary file is open: retry. */
async function remountReadOnly(dir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      run("mount", ["-o", "remount,ro", dir]);
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function track<T extends HungMount>(m: T): T {
  cleanups.push(() => m.close());
  return m;
}

async function agentOn(mounts: string[], extra: Record<string, unknown> = {}) {
  const config = testConfig({
    procPath: "/proc",
    sysPath: "/sys",
    mounts,
    intervalSeconds: 0.2,
    mountProbe: {
      watchNetworkMounts: false,
      probeTimeoutSeconds: 0.5,
      ...extra,
    },
    gpu: { nvidia: "off" },
    versions: { blenderPath: "/nonexistent/blender" },
  });
  const part = await startAgent({ config, logger: captureLogger().logger });
  cleanups.push(() => part.close());
  return part;
}

async function mountView(part: RunningPart, mp: string): Promise<MountView> {
  const res = await fetch(`${part.url}/api/v1/node`);
  const snap = (await res.json()) as NodeSnapshot;
  return snap.mounts.find((m) => m.mountpoint === mp)!;
}

// The skip reason, when there is one, is the describe name in the report.
describe.skipIf(skip !== undefined)(skip ?? "agent on real mounts", () => {
  it("reports a tmpfs unmounted under the running agent as missing", async () => {
    const m = track(tmpfsMount());
    const part = await agentOn([m.dir]);
    await expect
      .poll(async () => (await mountView(part, m.dir)).state, {
        timeout: 5_000,
      })
      .toBe("ok");
    run("umount", [m.dir]);
    await expect
      .poll(async () => (await mountView(part, m.dir)).state, {
        timeout: 5_000,
      })
      .toBe("missing");
  });

  it("reports a read-only remount as not writable via the canary", async () => {
    const m = track(tmpfsMount());
    const part = await agentOn([m.dir], { canaryWriteEnabled: true });
    await expect
      .poll(async () => (await mountView(part, m.dir)).writable, {
        timeout: 5_000,
      })
      .toBe(true);
    await remountReadOnly(m.dir);
    await expect
      .poll(async () => (await mountView(part, m.dir)).state, {
        timeout: 5_000,
      })
      .toBe("readonly");
    const view = await mountView(part, m.dir);
    expect({ writable: view.writable, readOnly: view.readOnly }).toEqual({
      writable: false,
      readOnly: true,
    });
  });

  it("reports a hung FUSE mount as hung and keeps answering scrapes", async () => {
    const hung = track(await hungFuseMount());
    const ok = track(tmpfsMount());
    const part = await agentOn([hung.dir, ok.dir]);
    await expect
      .poll(async () => (await mountView(part, hung.dir)).state, {
        timeout: 5_000,
      })
      .toBe("hung");
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${part.url}/metrics`);
      const text = await res.text();
      expect(text).toContain(
        `farmwatch_mount_hung{mountpoint="${hung.dir}"} 1`,
      );
    }
    await expect
      .poll(async () => (await mountView(part, ok.dir)).state)
      .toBe("ok");
  });

  it("keeps at most one probe outstanding on a hung mount", async () => {
    const hung = track(await hungFuseMount());
    const stats = new CallStats();
    const prober = new MountProber(stats);
    cleanups.push(() => prober.close());
    const first = prober.probe({ mountpoint: hung.dir }, 1);
    const second = await prober.probe({ mountpoint: hung.dir }, 1);
    expect(second).toMatchObject({ hung: true, timedOut: false });
    expect(await first).toMatchObject({ hung: true, timedOut: true });
    expect(stats.timeouts).toBe(1);
  });

  it("leaves no probe process behind after 10 hung cycles", async () => {
    const hung = track(await hungFuseMount());
    const stats = new CallStats();
    const prober = new MountProber(stats);
    cleanups.push(() => prober.close());
    const cfg = agentConfig({
      procPath: "/proc",
      mounts: [hung.dir],
      mountProbe: { watchNetworkMounts: false, probeTimeoutSeconds: 0.2 },
    });
    const c = new MountsCollector(cfg, "render-03", prober);
    const before = childPids();
    for (let i = 0; i < 10; i++) await c.collect();
    await expect.poll(() => stats.stuck).toBe(0);
    expect(childPids().filter((pid) => !before.includes(pid))).toEqual([]);
  });

  it("probes again once a hung mount answers (here: ENOTCONN)", async () => {
    const hung = track(await hungFuseMount());
    const part = await agentOn([hung.dir]);
    await expect
      .poll(async () => (await mountView(part, hung.dir)).state, {
        timeout: 5_000,
      })
      .toBe("hung");
    hung.release();
    await expect
      .poll(async () => (await mountView(part, hung.dir)).reason, {
        timeout: 5_000,
      })
      .toMatch(/^ENOTCONN/);
  });
});
