import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../../shared/config/schema.js";
import type { MountView } from "../../shared/views.js";
import {
  CallStats,
  CollectorFailure,
  type Collector,
  type CollectorOutput,
} from "../collector.js";
import { parseFstab, type FstabEntry } from "../fstab.js";
import { classifyProbe, mountSamples } from "../mount-state.js";
import {
  MountProber,
  type MountProbing,
  type ProbeRequest,
} from "../mount-probe.js";
import {
  NETWORK_FSTYPES,
  isTailnetAddress,
  optionValue,
  parseMountinfo,
  serverAddress,
  type MountEntry,
} from "../mountinfo.js";
import { parseMountstats, type NfsCounters } from "../mountstats.js";

type AgentConfig = Config["agent"];

/**
 * Health of the watched mounts: presence from the mount table (never by
 * touching the mount), then a probe in the helper process with a timeout.
 */
export class MountsCollector implements Collector {
  readonly name = "mounts";
  readonly calls = new CallStats();
  readonly intervalSeconds: number;
  private readonly prober: MountProbing;
  private readonly timeouts = new Map<string, number>();
  private readonly canaryFile: string;

  constructor(
    private readonly config: AgentConfig,
    nodeName: string,
    prober?: MountProbing,
  ) {
    this.prober = prober ?? new MountProber(this.calls);
    this.intervalSeconds =
      config.mountProbe.intervalSeconds ?? config.intervalSeconds;
    this.canaryFile = nodeName.replace(/[^A-Za-z0-9._-]/g, "_");
  }

  async collect(): Promise<CollectorOutput> {
    const table = await this.readMountTable();
    const fstab = await this.readFstab();
    const stats = await this.readMountstats();
    const watched = this.watchedMountpoints(table, fstab);
    const views = await Promise.all(
      watched.map((mp) => this.inspect(mp, table, fstab, stats.get(mp))),
    );
    const samples = views.flatMap((v) =>
      mountSamples(v, this.timeouts.get(v.mountpoint) ?? 0),
    );
    return { samples, patch: { mounts: views } };
  }

  async close(): Promise<void> {
    await this.prober.close();
  }

  private async readMountTable(): Promise<MountEntry[]> {
    const file = path.join(this.config.procPath, "self", "mountinfo");
    try {
      return parseMountinfo(await readFile(file, "utf8"));
    } catch (err) {
      throw new CollectorFailure("read_error", `read ${file}: ${err}`, {
        cause: err,
      });
    }
  }

  private async readFstab(): Promise<FstabEntry[]> {
    // No fstab (containers) means nothing is declared: not a failure.
    const text = await readFile(this.config.mountProbe.fstabPath, "utf8").catch(
      () => "",
    );
    return parseFstab(text);
  }

  private async readMountstats(): Promise<Map<string, NfsCounters>> {
    const file = path.join(this.config.procPath, "self", "mountstats");
    const text = await readFile(file, "utf8").catch(() => "");
    return parseMountstats(text);
  }

  private watchedMountpoints(
    table: MountEntry[],
    fstab: FstabEntry[],
  ): string[] {
    const out = new Set(this.config.mounts);
    if (this.config.mountProbe.watchNetworkMounts) {
      for (const m of [...table, ...fstab]) {
        if (NETWORK_FSTYPES.has(m.fstype)) out.add(m.mountpoint);
      }
    }
    return [...out].sort();
  }

  private async inspect(
    mountpoint: string,
    table: MountEntry[],
    fstab: FstabEntry[],
    nfs: NfsCounters | undefined,
  ): Promise<MountView> {
    const entries = table.filter((m) => m.mountpoint === mountpoint);
    const top = entries[entries.length - 1];
    const declared = fstab.find((f) => f.mountpoint === mountpoint);
    if (!top) return missingView(mountpoint, declared);
    if (top.fstype === "autofs") {
      return {
        mountpoint,
        state: "automount_pending",
        up: false,
        hung: false,
        present: false,
        reason: "automount not triggered yet",
      };
    }
    const view = describe(top, nfs);
    return this.probeInto(view);
  }

  private async probeInto(view: MountView): Promise<MountView> {
    const mp = this.config.mountProbe;
    const req: ProbeRequest = { mountpoint: view.mountpoint };
    if (mp.markerFileName) req.marker = mp.markerFileName;
    if (mp.canaryWriteEnabled) {
      req.canaryDir = mp.canaryDirName;
      req.canaryFile = this.canaryFile;
    }
    const r = await this.prober.probe(req, mp.probeTimeoutSeconds);
    if (r.timedOut) {
      const n = this.timeouts.get(view.mountpoint) ?? 0;
      this.timeouts.set(view.mountpoint, n + 1);
    }
    const verdict = classifyProbe(
      r,
      mp.expectedShares[view.mountpoint],
      mp.markerFileName,
    );
    const answered = !r.hung && r.error === undefined;
    return {
      ...view,
      state: verdict.state,
      up: verdict.up,
      hung: r.hung,
      ...(verdict.reason && { reason: verdict.reason }),
      ...(answered && {
        freeBytes: r.freeBytes,
        totalBytes: r.totalBytes,
        probeDurationSeconds: r.seconds,
      }),
      ...(r.share !== undefined && { shareId: r.share }),
      ...(answered &&
        mp.canaryWriteEnabled && {
          writable: r.canaryError === undefined,
          canaryDurationSeconds: r.canarySeconds,
        }),
    };
  }
}

function missingView(
  mountpoint: string,
  declared: FstabEntry | undefined,
): MountView {
  const reason = declared?.automount
    ? "declared x-systemd.automount in fstab but no automount trap is set"
    : "not in the mount table";
  return {
    mountpoint,
    state: "missing",
    up: false,
    hung: false,
    present: false,
    reason,
  };
}

function describe(m: MountEntry, nfs: NfsCounters | undefined): MountView {
  const opts = [...m.mountOptions, ...m.superOptions];
  const isNfs = m.fstype.startsWith("nfs");
  const addr = serverAddress(m);
  const hardness = !isNfs ? undefined : opts.includes("soft") ? "soft" : "hard";
  return {
    mountpoint: m.mountpoint,
    state: "ok",
    up: false,
    hung: false,
    present: true,
    fstype: m.fstype,
    source: m.source,
    options: opts,
    readOnly: m.mountOptions.includes("ro"),
    ...(hardness && { hardness }),
    ...(isNfs && { nfsVersion: optionValue(opts, "vers") }),
    ...(addr !== undefined && { tailnetServer: isTailnetAddress(addr) }),
    ...(nfs && { nfs }),
  };
}
