import path from "node:path";
import { describe, expect, it } from "vitest";
import { MountsCollector } from "../../src/agent/collectors/mounts.js";
import type {
  MountProbing,
  ProbeRequest,
  ProbeResult,
} from "../../src/agent/mount-probe.js";
import type { MountView } from "../../src/shared/views.js";
import { agentConfig, FIXTURES } from "./helpers.js";

/** Answers probes from a script per mount point; records requests. */
class ScriptedProber implements MountProbing {
  readonly requests: ProbeRequest[] = [];
  constructor(
    private readonly answers: Record<string, Partial<ProbeResult>[]>,
  ) {}

  async probe(req: ProbeRequest): Promise<ProbeResult> {
    this.requests.push(req);
    const queue = this.answers[req.mountpoint] ?? [];
    const next = queue.length > 1 ? queue.shift()! : (queue[0] ?? {});
    return {
      hung: false,
      seconds: 0.001,
      freeBytes: 1,
      totalBytes: 2,
      ...next,
    };
  }

  async close(): Promise<void> {}
}

function collector(
  prober: MountProbing,
  agent: Record<string, unknown> = {},
): MountsCollector {
  const cfg = agentConfig({
    mounts: ["/mnt/cache"],
    mountProbe: {
      fstabPath: path.join(FIXTURES, "etc", "fstab"),
      ...((agent.mountProbe as object) ?? {}),
    },
  });
  return new MountsCollector(cfg, "render-03", prober);
}

async function mount(c: MountsCollector, mp: string): Promise<MountView> {
  const out = await c.collect();
  return out.patch.mounts!.find((m) => m.mountpoint === mp)!;
}

const ESTALE = {
  error: "ESTALE",
  message: "ESTALE: stale file handle, statfs '/mnt/render'",
};

describe("MountsCollector", () => {
  it("watches configured mounts plus every NFS mount in table and fstab", async () => {
    const out = await collector(new ScriptedProber({})).collect();
    expect(out.patch.mounts!.map((m) => m.mountpoint)).toEqual([
      "/mnt/archive",
      "/mnt/assets",
      "/mnt/cache",
      "/mnt/manual",
      "/mnt/render",
      "/mnt/with space",
    ]);
  });

  it("reports a hung probe as hung while other mounts still report", async () => {
    const prober = new ScriptedProber({
      "/mnt/render": [{ hung: true, seconds: 5 }],
    });
    const c = collector(prober);
    const out = await c.collect();
    const byMp = new Map(out.patch.mounts!.map((m) => [m.mountpoint, m]));
    expect(byMp.get("/mnt/render")).toMatchObject({
      state: "hung",
      up: false,
      hung: true,
    });
    expect(byMp.get("/mnt/cache")).toMatchObject({ state: "ok", up: true });
    expect(out.samples).toContainEqual({
      name: "farmwatch_mount_up",
      labels: { mountpoint: "/mnt/render" },
      value: 0,
    });
  });

  it("reports ESTALE as stale with the remedy, and recovers next run", async () => {
    const prober = new ScriptedProber({ "/mnt/render": [ESTALE, {}] });
    const c = collector(prober);
    const stale = await mount(c, "/mnt/render");
    expect(stale.state).toBe("stale");
    expect(stale.reason).toContain("umount -l");
    expect((await mount(c, "/mnt/render")).state).toBe("ok");
  });

  it("keeps other mounts unaffected by one stale mount", async () => {
    const prober = new ScriptedProber({ "/mnt/render": [ESTALE] });
    expect((await mount(collector(prober), "/mnt/cache")).state).toBe("ok");
  });

  it("reports a rw-mounted share whose canary gets EROFS as not writable", async () => {
    const prober = new ScriptedProber({
      "/mnt/render": [{ canaryError: "EROFS", canarySeconds: 0.002 }],
    });
    const c = collector(prober, { mountProbe: { canaryWriteEnabled: true } });
    const render = await mount(c, "/mnt/render");
    expect(render).toMatchObject({
      state: "readonly",
      writable: false,
      readOnly: false,
    });
  });

  it("reports EACCES on the canary as permission, not readonly", async () => {
    const prober = new ScriptedProber({
      "/mnt/render": [{ canaryError: "EACCES" }],
    });
    const c = collector(prober, { mountProbe: { canaryWriteEnabled: true } });
    expect((await mount(c, "/mnt/render")).state).toBe("permission");
  });

  it("writes the canary under a per-host file name", async () => {
    const prober = new ScriptedProber({});
    const c = collector(prober, { mountProbe: { canaryWriteEnabled: true } });
    await c.collect();
    const req = prober.requests.find((r) => r.mountpoint === "/mnt/render");
    expect(req).toMatchObject({
      canaryDir: ".farmwatch",
      canaryFile: "render-03",
    });
  });

  it("tells an untriggered automount from a dropped one", async () => {
    const c = collector(new ScriptedProber({}));
    const out = await c.collect();
    const byMp = new Map(out.patch.mounts!.map((m) => [m.mountpoint, m]));
    expect(byMp.get("/mnt/assets")!.state).toBe("automount_pending");
    expect(byMp.get("/mnt/archive")!.state).toBe("missing");
    expect(byMp.get("/mnt/archive")!.reason).toContain("automount");
  });

  it("never probes a pending automount or a missing mount", async () => {
    const prober = new ScriptedProber({});
    await collector(prober).collect();
    const probed = prober.requests.map((r) => r.mountpoint);
    expect(probed).not.toContain("/mnt/assets");
    expect(probed).not.toContain("/mnt/archive");
  });

  it("exports the marker file's content as the share label", async () => {
    const prober = new ScriptedProber({
      "/mnt/render": [{ share: "render-share" }],
    });
    const c = collector(prober, {
      mountProbe: { markerFileName: ".farmwatch-share" },
    });
    const out = await c.collect();
    const info = out.samples.find(
      (s) =>
        s.name === "farmwatch_mount_info" &&
        s.labels?.mountpoint === "/mnt/render",
    );
    expect(info!.labels).toMatchObject({
      share: "render-share",
      fstype: "nfs4",
      source: "nas01:/export/render",
      hardness: "hard",
      nfs_version: "4.2",
    });
  });

  it("calls a mount without the marker file the wrong share", async () => {
    const prober = new ScriptedProber({
      "/mnt/render": [{ markerError: "ENOENT" }],
    });
    const c = collector(prober, {
      mountProbe: { markerFileName: ".farmwatch-share" },
    });
    const render = await mount(c, "/mnt/render");
    expect(render.state).toBe("wrong_share");
    expect(render.reason).toContain("ENOENT");
  });

  it("calls a mount with an unexpected marker the wrong share", async () => {
    const prober = new ScriptedProber({
      "/mnt/render": [{ share: "scratch" }],
    });
    const c = collector(prober, {
      mountProbe: {
        markerFileName: ".farmwatch-share",
        expectedShares: { "/mnt/render": "render-share" },
      },
    });
    expect((await mount(c, "/mnt/render")).state).toBe("wrong_share");
  });

  it("adds NFS client counters from mountstats", async () => {
    const render = await mount(
      collector(new ScriptedProber({})),
      "/mnt/render",
    );
    expect(render.nfs).toMatchObject({ operations: 5001, retransmissions: 6 });
  });

  it("flags a server on a tailnet address", async () => {
    const out = await collector(new ScriptedProber({})).collect();
    expect(out.samples).toContainEqual({
      name: "farmwatch_mount_tailnet_server",
      labels: { mountpoint: "/mnt/render" },
      value: 1,
    });
  });
});
