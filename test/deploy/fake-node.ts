import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DoctorHost } from "../../src/deploy/doctor.js";
import { probeShare, type ShareProbe } from "../../src/deploy/doctor/probe.js";
import { runCommand } from "../../src/deploy/system.js";

/** The fixtures directory beside this file. */
export const FIXTURES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
);

/** The fake nodes' clock: the field cases' replay time. */
export const NOW = new Date("2025-06-02T12:00:00Z");

/** The node name every fake node reports. */
export const HOSTNAME = "render-03";

/** How a fake Manager behaves. */
export type ManagerMode = "ok" | "down" | "hang" | "not-flamenco" | "none";

/** What a fake node looks like; every field defaults to healthy. */
export interface NodeSpec {
  manager?: ManagerMode;
  /** Where the Manager says the share is; default this node's share. */
  storage?: string;
  /** The version in the Manager's check/blender `cause`; `none`: []. */
  managerBlender?: string;
  /** The version this node's `blender --version` prints, or `missing`. */
  blender?: string;
  tailscale?:
    | "running"
    | "needs-login"
    | "key-expiring"
    | "peer-expired"
    | "missing"
    | "hang";
  worker?: "running" | "failed" | "not-found" | "hang";
  /** mounted: an nfs4 line; missing: no dir; root-fs: dir, no mount. */
  share?: "mounted" | "missing" | "root-fs" | "hung";
  /** Extra YAML appended to the config. */
  configExtra?: string;
  probe?: ShareProbe;
  isSuperuser?: boolean;
}

/** A fake node: files in a temp dir, a fake Manager on loopback. */
export interface FakeNode {
  dir: string;
  share: string;
  bin: string;
  configFile: string;
  mountinfo: string;
  managerUrl: string | undefined;
  host: DoctorHost;
  close(): Promise<void>;
}

const script = (file: string, body: string) => {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
};

function writeBin(bin: string, spec: NodeSpec): void {
  mkdirSync(bin);
  const fixture = (name: string) => `exec /bin/cat ${FIXTURES}/${name}`;
  const hang = "exec /bin/sleep 30";
  if (spec.tailscale !== "missing") {
    script(
      path.join(bin, "tailscale"),
      spec.tailscale === "hang"
        ? hang
        : fixture(`tailscale-${spec.tailscale ?? "running"}.json`),
    );
  }
  script(
    path.join(bin, "systemctl"),
    spec.worker === "hang"
      ? hang
      : fixture(`worker-${spec.worker ?? "running"}.txt`),
  );
  if (spec.blender !== "missing") {
    script(
      path.join(bin, "blender"),
      `echo "Blender ${spec.blender ?? "4.2.1"} LTS"\necho "build date: 2024-08-19"`,
    );
  }
  script(
    path.join(bin, "getent"),
    'test "$2" = render && echo "render:x:1234:1235::/home/render:/bin/sh"',
  );
}

function writeShare(dir: string, share: string, spec: NodeSpec): string {
  const kind = spec.share ?? "mounted";
  if (kind !== "missing") mkdirSync(share);
  if (kind === "hung") {
    // Opening a FIFO for writing blocks until a reader comes: the probe's
    // write step hangs as it would on a dead hard-mounted share.
    execFileSync("/usr/bin/mkfifo", [
      path.join(share, `.farmwatch-doctor-${HOSTNAME}`),
    ]);
  }
  const lines = [
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
    "25 22 0:23 / /proc rw,nosuid,nodev,noexec shared:12 - proc proc rw",
  ];
  if (kind === "mounted" || kind === "hung") {
    lines.push(
      `412 29 0:61 / ${share} rw,relatime shared:231 - nfs4 ` +
        "nas01:/export/render rw,vers=4.2,hard,proto=tcp,timeo=600",
    );
  }
  const mountinfo = path.join(dir, "mountinfo");
  writeFileSync(mountinfo, lines.join("\n") + "\n");
  return mountinfo;
}

/** A fake Flamenco Manager on 127.0.0.1, answering from the fixture. */
async function startManager(
  spec: NodeSpec,
  storage: string,
): Promise<{ url: string | undefined; close(): Promise<void> }> {
  const mode = spec.manager ?? "ok";
  if (mode === "none") return { url: undefined, close: async () => {} };
  const answers = managerAnswers(spec, storage);
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    if (mode === "hang") return;
    const body = mode === "ok" ? answers[req.url ?? ""] : undefined;
    res.writeHead(body === undefined ? 404 : 200, {
      "content-type": "application/json",
    });
    res.end(JSON.stringify(body ?? { code: 404, message: "not found" }));
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  if (mode === "down") await close();
  return { url, close: mode === "down" ? async () => {} : close };
}

/** The fake Manager's answers by path. */
export function managerAnswers(
  spec: NodeSpec,
  storage: string,
): Record<string, unknown> {
  const fixture = JSON.parse(
    readFileSync(path.join(FIXTURES, "manager.json"), "utf8"),
  ) as { version: unknown; blender: { cause: string }[] };
  const blender = fixture.blender.map((b) => ({
    ...b,
    cause: spec.managerBlender ? `Blender ${spec.managerBlender}` : b.cause,
  }));
  return {
    "/api/v3/version": fixture.version,
    "/api/v3/configuration": {
      storageLocation: storage,
      shamanEnabled: false,
      isFirstRun: false,
    },
    "/api/v3/configuration/shared-storage/workers/linux": {
      location: storage,
      audience: "workers",
      platform: "linux",
      shamanEnabled: false,
    },
    "/api/v3/configuration/check/blender":
      spec.managerBlender === "none" ? [] : blender,
  };
}

/** Builds a fake node; call close() when done. */
export async function fakeNode(spec: NodeSpec = {}): Promise<FakeNode> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fw-node-"));
  const share = path.join(dir, "render");
  const bin = path.join(dir, "bin");
  writeBin(bin, spec);
  const mountinfo = writeShare(dir, share, spec);
  const manager = await startManager(spec, spec.storage ?? share);
  const configFile = path.join(dir, "farmwatch.yaml");
  writeFileSync(
    configFile,
    (manager.url ? `manager:\n  url: ${manager.url}\n` : "") +
      (spec.configExtra ?? ""),
  );
  const host: DoctorHost = {
    env: { PATH: bin },
    cwd: dir,
    run: runCommand,
    probe: spec.probe ?? probeShare,
    installedConfig: path.join(dir, "no-installed-config.yaml"),
    hostname: HOSTNAME,
    isSuperuser: spec.isSuperuser ?? false,
    now: () => NOW,
  };
  return {
    dir,
    share,
    bin,
    configFile,
    mountinfo,
    managerUrl: manager.url,
    host,
    close: async () => {
      await manager.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
