import {
  problem,
  timeoutMs,
  type CheckResult,
  type DoctorInputs,
  type Findings,
} from "./check.js";
import { containingMount, readMounts, type MountEntry } from "./mountinfo.js";
import type { ProbeOptions, ProbeResult } from "./probe.js";

/**
 * Checks the Manager's shared storage and every configured agent mount:
 * present, really mounted (not the root file system underneath), and
 * writable, probed in a child process so that a hung share costs one
 * timeout.
 */
export async function checkShares(
  inputs: DoctorInputs,
  found: Findings,
): Promise<CheckResult[]> {
  const targets = new Map<string, string>();
  if (found.storageLocation !== undefined) {
    targets.set(found.storageLocation, "the Manager's shared storage");
  }
  for (const m of inputs.config.agent.mounts) {
    if (!targets.has(m)) targets.set(m, "agent.mounts");
  }
  if (targets.size === 0) {
    return [
      {
        name: "share",
        status: "skipped",
        summary:
          "no share to check: the Manager did not say where its shared " +
          "storage is and agent.mounts is empty",
        fix: "make the Manager reachable, or list the share in agent.mounts",
      },
    ];
  }
  const as = await probeIdentity(inputs, found);
  const results: CheckResult[] = [];
  for (const [dir, source] of targets) {
    results.push(await checkOne(inputs, dir, source, as));
  }
  return results;
}

interface Identity {
  label: string;
  ids: Pick<ProbeOptions, "uid" | "gid">;
}

/** Probe as the Worker's user when we may: that is who writes frames. */
async function probeIdentity(
  inputs: DoctorInputs,
  found: Findings,
): Promise<Identity> {
  const self: Identity = { label: "this user", ids: {} };
  const user = found.workerUser;
  if (!inputs.isSuperuser || user === undefined) return self;
  const result = await inputs.run(["getent", "passwd", user], {
    timeoutMs: 5000,
    env: inputs.env,
  });
  const fields = result.stdout.trim().split(":");
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (result.code !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    return self;
  }
  return { label: `user ${user}`, ids: { uid, gid } };
}

async function checkOne(
  inputs: DoctorInputs,
  dir: string,
  source: string,
  as: Identity,
): Promise<CheckResult> {
  const probeSeconds = inputs.config.agent.mountProbe.probeTimeoutSeconds;
  const ms = timeoutMs(inputs, probeSeconds);
  const result = await inputs.probe(dir, {
    fileName: `.farmwatch-doctor-${inputs.hostname}`,
    timeoutMs: ms,
    ...as.ids,
  });
  // Read after the probe: the probe's stat triggers an automount.
  const mount = containingMount(await readMounts(inputs.mountinfoPath), dir);
  return verdict(dir, source, result, mount, as.label, ms / 1000);
}

function verdict(
  dir: string,
  source: string,
  result: ProbeResult,
  mount: MountEntry | undefined,
  who: string,
  seconds: number,
): CheckResult {
  const name = "share";
  if (result.outcome === "hung") {
    return problem(
      name,
      `${dir} (${source}) did not answer within ${seconds} s: the share hangs`,
      "the file server or the network to it is down; check the server and " +
        "`tailscale ping` it. A hard mount resumes when the server is back; " +
        `otherwise \`sudo umount -l ${dir}\` and mount it again`,
    );
  }
  if (result.outcome === "missing" && result.step === "stat") {
    return problem(
      name,
      `${dir} (${source}) does not exist on this node`,
      `mount the share at ${dir}, the same path as on the Manager ` +
        `(fstab: \`server:/export ${dir} nfs4 ` +
        "_netdev,x-systemd.automount,hard 0 0`)",
    );
  }
  const unmounted = notMounted(dir, source, mount);
  if (unmounted) return unmounted;
  const fix = PROBE_FIX[result.outcome];
  if (fix !== undefined) {
    return problem(name, fix.summary(dir, who, result), fix.fix(dir, who));
  }
  const fs = mount ? ` (${mount.fsType} from ${mount.source})` : "";
  return {
    name,
    status: "ok",
    summary: `${dir} is mounted${fs} and writable by ${who}`,
  };
}

function notMounted(
  dir: string,
  source: string,
  mount: MountEntry | undefined,
): CheckResult | undefined {
  if (mount === undefined || mount.mountPoint === "/") {
    return problem(
      "share",
      `${dir} (${source}) is a plain directory on this node's root file ` +
        "system: the share is not mounted there",
      `mount the share at ${dir} (\`sudo mount ${dir}\`, and an fstab line ` +
        "so it comes back at boot); renders written now stay on this node. " +
        "On the file server itself a local directory is right: " +
        "`--skip share`",
    );
  }
  if (mount.fsType === "autofs") {
    return problem(
      "share",
      `${dir} (${source}) is an automount point that did not mount`,
      "see why: `systemctl list-units --type=automount,mount` and " +
        "`journalctl -b -u '*.mount'`",
    );
  }
  return undefined;
}

interface ProbeFix {
  summary(dir: string, who: string, r: ProbeResult): string;
  fix(dir: string, who: string): string;
}

const PROBE_FIX: Partial<Record<ProbeResult["outcome"], ProbeFix>> = {
  not_directory: {
    summary: (dir) => `${dir} is a file, not a directory`,
    fix: (dir) => `move the file away and mount the share at ${dir}`,
  },
  missing: {
    summary: (dir, _who, r) => `${dir}: ${r.code ?? "missing"} at ${r.step}`,
    fix: () => "remount the share and run doctor again",
  },
  readonly: {
    summary: (dir) =>
      `${dir} is read-only (EROFS) although renders write there`,
    fix: () =>
      "export the share read-write on the server and mount it with `rw`",
  },
  permission: {
    summary: (dir, who, r) =>
      `${who} may not ${r.step === "stat" ? "reach" : "write to"} ${dir} ` +
      `(${r.code ?? "EACCES"})`,
    fix: () =>
      "give the Flamenco Worker's user write access: the same uid/gid on " +
      "every node and the file server, or a shared group with g+w",
  },
  stale: {
    summary: (dir) => `${dir} answers "Stale file handle" (ESTALE)`,
    fix: (dir) => `remount it: \`sudo umount -l ${dir} && sudo mount ${dir}\``,
  },
  error: {
    summary: (dir, _who, r) =>
      `probing ${dir} failed at ${r.step ?? "start"}: ` +
      (r.code ?? "unknown error"),
    fix: (dir) => `try by hand: \`touch ${dir}/.probe && rm ${dir}/.probe\``,
  },
};
