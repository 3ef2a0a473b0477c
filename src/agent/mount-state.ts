import type { MountState, MountView } from "../shared/views.js";
import type { Sample } from "./collector.js";
import type { ProbeResult } from "./mount-probe.js";

/** Every mount state, for the one-hot `farmwatch_mount_state`. */
export const MOUNT_STATES: readonly MountState[] = [
  "ok",
  "missing",
  "automount_pending",
  "hung",
  "stale",
  "readonly",
  "permission",
  "wrong_share",
  "error",
];

/** What the probe showed, as a state and its reason in words. */
export interface ProbeVerdict {
  state: MountState;
  up: boolean;
  reason?: string;
}

/**
 * Turns a finished (or hung) probe into a state. Order matters: a dead
 * mount beats a wrong share, a wrong share (likely an empty local
 * directory) beats a failed canary.
 */
export function classifyProbe(
  r: ProbeResult,
  expectedShare: string | undefined,
  markerFileName: string | undefined,
): ProbeVerdict {
  if (r.hung) {
    return { state: "hung", up: false, reason: `probe hung ${r.seconds} s` };
  }
  if (r.error === "ESTALE") {
    return {
      state: "stale",
      up: false,
      reason: "stale file handle (ESTALE): umount -l and mount again",
    };
  }
  if (r.error) {
    return { state: "error", up: false, reason: `${r.error}: ${r.message}` };
  }
  if (markerFileName && r.markerError) {
    const why = `marker file ${markerFileName} unreadable: ${r.markerError}`;
    return { state: "wrong_share", up: true, reason: why };
  }
  if (expectedShare !== undefined && r.share !== expectedShare) {
    const why = `share is "${r.share}", expected "${expectedShare}"`;
    return { state: "wrong_share", up: true, reason: why };
  }
  return classifyCanary(r.canaryError);
}

function classifyCanary(code: string | undefined): ProbeVerdict {
  if (code === undefined) return { state: "ok", up: true };
  if (code === "EROFS") {
    return { state: "readonly", up: true, reason: "canary write: EROFS" };
  }
  if (code === "EACCES" || code === "EPERM") {
    return { state: "permission", up: true, reason: `canary write: ${code}` };
  }
  return { state: "error", up: true, reason: `canary write: ${code}` };
}

/** The series of one mount, from its view. */
export function mountSamples(v: MountView, timeouts: number): Sample[] {
  const l = { mountpoint: v.mountpoint };
  const out: Sample[] = MOUNT_STATES.map((state) => ({
    name: "farmwatch_mount_state",
    labels: { ...l, state },
    value: v.state === state ? 1 : 0,
  }));
  const add = (name: string, value: number | boolean | undefined) => {
    if (value === undefined || Number.isNaN(value)) return;
    out.push({ name, labels: l, value: Number(value) });
  };
  add("farmwatch_mount_present", v.present === true);
  add("farmwatch_mount_up", v.up);
  add("farmwatch_mount_hung", v.hung);
  add("farmwatch_mount_probe_timeouts_total", timeouts);
  if (v.present !== true) return out;
  out.push(mountInfo(v));
  add("farmwatch_mount_read_only", v.readOnly);
  add("farmwatch_mount_writable", v.writable);
  add("farmwatch_mount_free_bytes", v.freeBytes);
  add("farmwatch_mount_size_bytes", v.totalBytes);
  add("farmwatch_mount_probe_duration_seconds", v.probeDurationSeconds);
  add("farmwatch_mount_canary_duration_seconds", v.canaryDurationSeconds);
  add("farmwatch_mount_tailnet_server", v.tailnetServer);
  const nfs = v.nfs;
  if (nfs) {
    add("farmwatch_mount_nfs_operations_total", nfs.operations);
    add("farmwatch_mount_nfs_retransmissions_total", nfs.retransmissions);
    add("farmwatch_mount_nfs_major_timeouts_total", nfs.majorTimeouts);
    add("farmwatch_mount_nfs_read_bytes_total", nfs.readBytes);
    add("farmwatch_mount_nfs_write_bytes_total", nfs.writeBytes);
  }
  return out;
}

function mountInfo(v: MountView): Sample {
  return {
    name: "farmwatch_mount_info",
    labels: {
      mountpoint: v.mountpoint,
      fstype: v.fstype ?? "",
      source: v.source ?? "",
      share: v.shareId ?? "",
      hardness: v.hardness ?? "",
      nfs_version: v.nfsVersion ?? "",
    },
    value: 1,
  };
}
