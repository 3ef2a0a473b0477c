import type { NodeSnapshot, SourceStatus } from "../shared/views.js";
import type { SnapshotPatch } from "./collector.js";

/**
 * Assembles the JSON view from the collectors' last patches. A failed
 * collector's patch is empty, so its part is absent (or an empty list),
 * never stale.
 */
export function buildSnapshot(
  node: string,
  agentVersion: string,
  collectors: Record<string, SourceStatus>,
  patches: readonly SnapshotPatch[],
  now: Date,
): NodeSnapshot {
  const snap: NodeSnapshot = {
    node,
    agentVersion,
    time: now.toISOString(),
    collectors,
    mounts: [],
    gpus: [],
  };
  for (const p of patches) {
    if (p.host) snap.host = p.host;
    if (p.mounts) snap.mounts = p.mounts;
    if (p.gpus) snap.gpus = [...snap.gpus, ...p.gpus];
    if (p.tailscale) snap.tailscale = p.tailscale;
    if (p.worker) snap.worker = { ...snap.worker, ...p.worker };
  }
  if (snap.worker && snap.worker.activeState === undefined) {
    // Versions known but the unit collector failed: state unknown.
    snap.worker = { ...snap.worker, unit: "", activeState: "unknown" };
  }
  return snap;
}
