import type { TailscalePeerView } from "../shared/views.js";

/** What `tailscale status --json` says, reduced to what the agent uses. */
export interface TailscaleStatus {
  backendState: string;
  /** false: userspace networking; undefined: the daemon did not say. */
  tun?: boolean;
  version?: string;
  addresses: string[];
  keyExpiry?: string;
  health: string[];
  peers: (TailscalePeerView & { dnsName?: string })[];
}

/** Go's zero time: "never". */
const ZERO_TIME = "0001-01-01T00:00:00Z";

type Json = Record<string, unknown>;

/** Parses `tailscale status --json`; throws on anything but an object. */
export function parseTailscaleStatus(text: string): TailscaleStatus {
  const raw = JSON.parse(text) as unknown;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new Error("tailscale status: not a JSON object");
  }
  const j = raw as Json;
  const self = (j.Self ?? {}) as Json;
  const status: TailscaleStatus = {
    backendState: str(j.BackendState) ?? "NoState",
    addresses: strings(j.TailscaleIPs ?? self.TailscaleIPs),
    health: strings(j.Health),
    peers: Object.values((j.Peer ?? {}) as Record<string, Json>).map(peer),
  };
  if (typeof j.TUN === "boolean") status.tun = j.TUN;
  const version = str(j.Version);
  if (version) status.version = version;
  const expiry = time(self.KeyExpiry);
  if (expiry) status.keyExpiry = expiry;
  return status;
}

function peer(p: Json): TailscalePeerView & { dnsName?: string } {
  const curAddr = str(p.CurAddr) ?? "";
  const view: TailscalePeerView & { dnsName?: string } = {
    hostName: str(p.HostName) ?? "",
    addresses: strings(p.TailscaleIPs),
    online: p.Online === true,
    direct: curAddr !== "",
    expired: p.Expired === true,
  };
  const relay = str(p.Relay);
  if (relay) view.relay = relay;
  const handshake = time(p.LastHandshake);
  if (handshake) view.lastHandshake = handshake;
  const dns = str(p.DNSName);
  if (dns) view.dnsName = dns;
  return view;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
}

function time(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined || s === ZERO_TIME || Number.isNaN(Date.parse(s))
    ? undefined
    : s;
}

/** Whether a peer is the configured host name (or its MagicDNS name). */
export function peerMatches(
  p: { hostName: string; dnsName?: string },
  name: string,
): boolean {
  const want = name.toLowerCase();
  const dnsHost = p.dnsName?.split(".")[0]?.toLowerCase();
  return p.hostName.toLowerCase() === want || dnsHost === want;
}
