import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";

/** A network namespace this test created, with a TUN device held open. */
export interface TunNamespace {
  name: string;
  /** Runs a command inside the namespace; returns its stdout. */
  exec(cmd: string, args: string[]): string;
  /** Kills the TUN holder and deletes the namespace. */
  close(): void;
}

/** TUNSETIFF ioctl and IFF_TUN | IFF_NO_PI (linux/if_tun.h). */
const HOLD_TUN_PERL =
  'open(my $fh, "+<", "/dev/net/tun") or die "open: $!";' +
  'my $req = pack("a16 s x22", $ARGV[0], 0x1001);' +
  'ioctl($fh, 0x400454ca, $req) or die "TUNSETIFF: $!";' +
  '$| = 1; print "held\\n"; sleep 600;';

/**
 * Creates `fw-test-<random>`, and in it a TUN device named `ifname` held
 * open by a process the way tailscaled does (so operstate reads
 * `unknown`), set up with `address`. Root only.
 */
export async function tunNamespace(
  ifname: string,
  address: string,
): Promise<TunNamespace> {
  const name = `fw-test-${randomBytes(4).toString("hex")}`;
  ip(["netns", "add", name]);
  let holder: ChildProcess | undefined;
  const close = () => {
    if (holder?.pid !== undefined) {
      try {
        process.kill(holder.pid, "SIGKILL");
      } catch {
        // Already gone: nothing left to kill.
      }
    }
    spawnSync("ip", ["netns", "del", name], { timeout: 5_000 });
  };
  try {
    holder = spawn(
      "ip",
      ["netns", "exec", name, "perl", "-e", HOLD_TUN_PERL, ifname],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await waitForLine(holder, "held");
    ip(["-n", name, "link", "set", ifname, "up"]);
    ip(["-n", name, "addr", "add", `${address}/32`, "dev", ifname]);
  } catch (err) {
    close();
    throw err;
  }
  return { name, exec: (cmd, args) => execIn(name, cmd, args), close };
}

function execIn(name: string, cmd: string, args: string[]): string {
  const r = spawnSync("ip", ["netns", "exec", name, cmd, ...args], {
    encoding: "utf8",
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`${cmd} in ${name}: ${r.stderr}`);
  return r.stdout;
}

function ip(args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8", timeout: 5_000 });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
}

/** Resolves when `child` prints `line`; rejects if it exits or stays
 * silent for 5 s. */
export function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("TUN holder silent")),
      5_000,
    );
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before "${line}"`));
    });
  });
}
