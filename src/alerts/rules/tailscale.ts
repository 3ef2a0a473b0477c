import type { Candidate, RuleInput } from "./types.js";
import { answering } from "./types.js";

/** Peers whose reachability matters to a render node. */
const ROLES = new Set(["manager", "nas"]);

/** Tailscale logged out, stopped or without an address. */
export function tailscaleDown(input: RuleInput): Candidate[] {
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    const ts = s.tailscale;
    if (ts === undefined || (ts.up && ts.state === "Running")) continue;
    out.push({
      name: "FarmwatchTailscaleDown",
      labels: { node: s.node },
      source: `node:${s.node}`,
      summary: "Tailscale is not running",
      description: `${s.node}: Tailscale state ${ts.state}.`,
    });
  }
  return out;
}

/** The node's key expires soon. */
export function tailscaleKeyExpiring(input: RuleInput): Candidate[] {
  const within = input.rules.FarmwatchTailscaleKeyExpiring.expiresWithinSeconds;
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    const expiry = s.tailscale?.selfKeyExpiry;
    if (expiry === undefined) continue;
    const left = (Date.parse(expiry) - input.nowMs) / 1000;
    if (Number.isNaN(left) || left > within) continue;
    out.push({
      name: "FarmwatchTailscaleKeyExpiring",
      labels: { node: s.node },
      source: `node:${s.node}`,
      summary: "Tailscale key expires soon",
      description: `${s.node}: node key expires ${expiry}.`,
      value: left,
    });
  }
  return out;
}

/** The Manager or NAS reachable only through a relay, or not at all. */
export function tailscalePeers(input: RuleInput): Candidate[] {
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    const ts = s.tailscale;
    if (ts === undefined || !ts.up) continue;
    for (const p of ts.peers) {
      if (p.role === undefined || !ROLES.has(p.role)) continue;
      const labels = { node: s.node, peer: p.hostName };
      if (!p.online || p.expired) {
        out.push({
          name: "FarmwatchTailscalePeerUnreachable",
          labels,
          source: `node:${s.node}`,
          summary: "The Manager or NAS is unreachable over Tailscale",
          description: `${s.node} cannot reach ${p.role} ${p.hostName}.`,
        });
      } else if (!p.direct) {
        out.push({
          name: "FarmwatchTailscalePeerRelayed",
          labels,
          source: `node:${s.node}`,
          summary: "The Manager or NAS is reachable only through a relay",
          description:
            `${s.node} reaches ${p.role} ${p.hostName} via DERP ` +
            `${p.relay ?? "relay"}, not directly.`,
        });
      }
    }
  }
  return out;
}
