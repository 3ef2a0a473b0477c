import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../../shared/config/schema.js";
import type { Logger } from "../../shared/logger.js";
import type { TailscalePeerView, TailscaleView } from "../../shared/views.js";
import {
  CallStats,
  CollectorFailure,
  type Collector,
  type CollectorOutput,
} from "../collector.js";
import { SingleFlightCommand } from "../exec.js";
import {
  NETWORK_FSTYPES,
  isTailnetAddress,
  parseMountinfo,
  serverAddress,
} from "../mountinfo.js";
import {
  findInterfaceName,
  listAddresses,
  readInterface,
  type AddressLister,
} from "../net-interface.js";
import { tailscaleSamples } from "../tailscale-samples.js";
import {
  parseTailscaleStatus,
  peerMatches,
  type TailscaleStatus,
} from "../tailscale-status.js";

type AgentConfig = Config["agent"];

/**
 * Tailscale's real state from `tailscale status --json` (timed out), the
 * interface carrying its addresses (judged by flags, not operstate), the
 * configured Manager and NAS peers, and NFS mounts to tailnet addresses
 * that userspace mode cannot route. A daemon that does not answer is the
 * state `daemon_unreachable`, not a collector failure; a hung or missing
 * CLI is.
 */
export class TailscaleCollector implements Collector {
  readonly name = "tailscale";
  readonly calls = new CallStats();
  readonly intervalSeconds: number;
  private readonly command = new SingleFlightCommand(this.calls);
  private warnedMounts = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly logger: Logger,
    private readonly addresses: AddressLister = listAddresses,
  ) {
    this.intervalSeconds =
      config.tailscale.intervalSeconds ?? config.intervalSeconds;
  }

  async collect(): Promise<CollectorOutput> {
    const status = await this.status();
    const view = await this.view(status);
    this.warnUnroutable(view);
    return { samples: tailscaleSamples(view), patch: { tailscale: view } };
  }

  async close(): Promise<void> {
    this.command.kill();
  }

  private async status(): Promise<TailscaleStatus | { unreachable: string }> {
    const ts = this.config.tailscale;
    let stdout: string;
    try {
      const r = await this.command.run(
        ts.tailscalePath,
        ["status", "--json"],
        ts.statusTimeoutSeconds,
      );
      stdout = r.stdout;
    } catch (err) {
      if (err instanceof CollectorFailure && err.reason === "error_exit") {
        return { unreachable: err.message };
      }
      throw err;
    }
    try {
      return parseTailscaleStatus(stdout);
    } catch (err) {
      throw new CollectorFailure("parse_error", `tailscale status: ${err}`, {
        cause: err,
      });
    }
  }

  private async view(
    s: TailscaleStatus | { unreachable: string },
  ): Promise<TailscaleView> {
    const byInterface = this.addresses();
    const ok = "backendState" in s;
    const name = findInterfaceName(
      ok ? s.addresses : [],
      byInterface,
      this.config.tailscaleInterface,
    );
    const iface = await readInterface(this.config.sysPath, name, byInterface);
    const mode =
      ok && s.tun === false
        ? "userspace"
        : (ok && s.tun === true) || iface.present
          ? "tun"
          : "unknown";
    const view: TailscaleView = {
      state: ok ? s.backendState : "daemon_unreachable",
      up: ok && s.backendState === "Running" && s.addresses.length > 0,
      mode,
      interface: {
        name: iface.name,
        present: iface.present,
        up: iface.up,
        addresses: iface.addresses,
      },
      health: ok ? s.health : [],
      peers: ok ? this.peersThatMatter(s) : [],
    };
    if (!ok) view.reason = s.unreachable;
    if (ok && s.version) view.version = s.version;
    if (ok && s.keyExpiry) view.selfKeyExpiry = s.keyExpiry;
    if (mode === "userspace") {
      view.unroutableMounts = await this.tailnetMounts();
    }
    return view;
  }

  private peersThatMatter(s: TailscaleStatus): TailscalePeerView[] {
    const ts = this.config.tailscale;
    const wanted = [
      ...ts.managerPeers.map((n) => [n, "manager"] as const),
      ...ts.nasPeers.map((n) => [n, "nas"] as const),
    ];
    return wanted.map(([name, role]) => {
      const found = s.peers.find((p) => peerMatches(p, name));
      if (!found) {
        return {
          hostName: name,
          addresses: [],
          online: false,
          direct: false,
          expired: false,
          role,
        };
      }
      const { dnsName: _dns, ...peer } = found;
      return { ...peer, hostName: name, role };
    });
  }

  private async tailnetMounts(): Promise<string[]> {
    const file = path.join(this.config.procPath, "self", "mountinfo");
    const text = await readFile(file, "utf8").catch(() => "");
    return parseMountinfo(text)
      .filter((m) => NETWORK_FSTYPES.has(m.fstype))
      .filter((m) => isTailnetAddress(serverAddress(m) ?? ""))
      .map((m) => m.mountpoint);
  }

  private warnUnroutable(view: TailscaleView): void {
    const mounts = view.unroutableMounts ?? [];
    if (mounts.length > 0 && !this.warnedMounts) {
      this.logger.warn(
        { mounts },
        "network mounts use tailnet addresses but Tailscale runs in " +
          "userspace mode: the kernel cannot route to them",
      );
    }
    this.warnedMounts = mounts.length > 0;
  }
}
