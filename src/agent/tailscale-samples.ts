import type { TailscaleView } from "../shared/views.js";
import type { Sample } from "./collector.js";

/** Backend states always exposed (one-hot), so rules can match on 0. */
export const BACKEND_STATES = [
  "NoState",
  "NeedsLogin",
  "NeedsMachineAuth",
  "Stopped",
  "Starting",
  "Running",
  "daemon_unreachable",
];

const MODES = ["tun", "userspace", "unknown"] as const;

/** Series of the Tailscale view. */
export function tailscaleSamples(v: TailscaleView): Sample[] {
  const out: Sample[] = [
    { name: "farmwatch_tailscale_up", value: v.up ? 1 : 0 },
    ...oneHotSamples(v),
    { name: "farmwatch_tailscale_health_messages", value: v.health.length },
    {
      name: "farmwatch_tailscale_userspace_tailnet_mounts",
      value: v.unroutableMounts?.length ?? 0,
    },
  ];
  if (v.version) {
    out.push({
      name: "farmwatch_tailscale_info",
      labels: { version: v.version },
      value: 1,
    });
  }
  if (v.selfKeyExpiry) {
    out.push({
      name: "farmwatch_tailscale_key_expiry_timestamp_seconds",
      value: Date.parse(v.selfKeyExpiry) / 1000,
    });
  }
  return [...out, ...interfaceSamples(v), ...peerSamples(v)];
}

function oneHotSamples(v: TailscaleView): Sample[] {
  const states = BACKEND_STATES.includes(v.state)
    ? BACKEND_STATES
    : [...BACKEND_STATES, v.state];
  return [
    ...states.map((state) => ({
      name: "farmwatch_tailscale_backend_state",
      labels: { state },
      value: state === v.state ? 1 : 0,
    })),
    ...MODES.map((mode) => ({
      name: "farmwatch_tailscale_mode",
      labels: { mode },
      value: mode === v.mode ? 1 : 0,
    })),
  ];
}

/** Only in TUN mode: userspace networking has no interface to check. */
function interfaceSamples(v: TailscaleView): Sample[] {
  if (!v.interface || v.mode === "userspace") return [];
  const labels = { interface: v.interface.name };
  return [
    {
      name: "farmwatch_tailscale_interface_present",
      labels,
      value: v.interface.present ? 1 : 0,
    },
    {
      name: "farmwatch_tailscale_interface_up",
      labels,
      value: v.interface.up ? 1 : 0,
    },
  ];
}

function peerSamples(v: TailscaleView): Sample[] {
  const out: Sample[] = [];
  for (const p of v.peers) {
    const labels = { peer: p.hostName, role: p.role ?? "node" };
    const known = p.addresses.length > 0 || p.online;
    out.push({
      name: "farmwatch_tailscale_peer_known",
      labels,
      value: known ? 1 : 0,
    });
    if (!known) continue;
    const flag = (name: string, b: boolean) =>
      out.push({ name, labels, value: b ? 1 : 0 });
    flag("farmwatch_tailscale_peer_online", p.online);
    flag("farmwatch_tailscale_peer_direct", p.direct);
    flag("farmwatch_tailscale_peer_expired", p.expired);
    if (p.lastHandshake) {
      out.push({
        name: "farmwatch_tailscale_peer_last_handshake_timestamp_seconds",
        labels,
        value: Date.parse(p.lastHandshake) / 1000,
      });
    }
  }
  return out;
}
