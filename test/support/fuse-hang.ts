import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitForLine } from "./netns.js";

/** A test mount and how to take it down again. */
export interface HungMount {
  dir: string;
  /** Kills any holder, lazily unmounts, removes the directory. */
  close(): void;
}

/** A hung FUSE mount; `release` ends the hang (calls then fail ENOTCONN). */
export interface FuseMount extends HungMount {
  release(): void;
}

/** A temp dir with a tmpfs mounted on it (root only). */
export function tmpfsMount(sizeBytes = 1 << 20): HungMount {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fw-tmpfs-"));
  run("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "fw-test", dir]);
  return {
    dir,
    close() {
      spawnSync("umount", ["-l", dir], { timeout: 5_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Mounts a FUSE file system nobody serves: a helper opens /dev/fuse, mounts
 * with that fd and never reads it, so every stat/statfs on the mount
 * blocks, as on a hard NFS mount whose server is gone. Mounted at
 * `<parent>/hang`; `close` removes `parent`. Root only.
 */
export async function hungFuseMount(
  parent = mkdtempSync(path.join(os.tmpdir(), "fw-fuse-")),
): Promise<FuseMount> {
  const dir = path.join(parent, "hang");
  mkdirSync(dir, { recursive: true });
  const holder = spawn(
    "sh",
    [
      "-c",
      "exec 3<>/dev/fuse && mount -i -t fuse -o fd=3,rootmode=40000," +
        'user_id=0,group_id=0 fw-hang "$1" && echo mounted && exec sleep 600',
      "sh",
      dir,
    ],
    { stdio: ["ignore", "pipe", "inherit"], detached: true },
  );
  const release = () => {
    try {
      process.kill(-holder.pid!, "SIGKILL");
    } catch {
      // Already gone: nothing left to kill.
    }
  };
  const close = () => {
    release();
    spawnSync("umount", ["-l", dir], { timeout: 5_000 });
    rmSync(parent, { recursive: true, force: true });
  };
  await waitForLine(holder, "mounted").catch((err: unknown) => {
    close();
    throw err;
  });
  return { dir, close, release };
}

/** Runs a command, throwing with its stderr if it fails. */
export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { timeout: 10_000, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.error}`);
  }
}

/** Why root-only tests skip, in the KNOWN form; undefined when root. */
export function notRootReason(): string | undefined {
  return process.getuid?.() === 0
    ? undefined
    : "KNOWN: needs root for mount and /dev/fuse; this user is not root; " +
        "run the agent tests as root (CI does)";
}
