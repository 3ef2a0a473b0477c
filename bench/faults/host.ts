import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Runs a command and returns whether it succeeded; never throws. */
export function run(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    // The caller reports what could not be done; the exit code says enough.
    return false;
  }
}

/** Whether `dir` is a mount point right now (from /proc/self/mountinfo). */
export function isMounted(dir: string): boolean {
  const table = readFileSync("/proc/self/mountinfo", "utf8");
  return table.split("\n").some((line) => line.split(" ")[4] === dir);
}

/** Mounts a tmpfs of `size` (e.g. `1m`) at `dir`; false when not allowed. */
export function mountTmpfs(dir: string, size: string): boolean {
  return run("mount", [
    "-t",
    "tmpfs",
    "-o",
    `size=${size},mode=0755`,
    "tmpfs",
    dir,
  ]);
}

/** Remounts `dir` read-only or read-write. */
export function remount(dir: string, mode: "ro" | "rw"): boolean {
  return run("mount", ["-o", `remount,${mode}`, dir]);
}

/**
 * Unmounts `dir`, lazily when busy, so that cleanup never blocks on a
 * mount that hangs.
 */
export function unmount(dir: string): boolean {
  if (!isMounted(dir)) return true;
  return run("umount", [dir]) || run("umount", ["-l", dir]);
}
