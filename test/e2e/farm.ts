import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT } from "../rules/rule-files.js";
import {
  collectOutput,
  freePort,
  stopProcess,
  waitFor,
} from "../support/prometheus.js";

/** Ports of a running demo farm, all on 127.0.0.1. */
export interface FarmPorts {
  agent: number;
  exporter: number;
  alerts: number;
  sim: number;
}

/** `farmwatch all` on the demo farm, started by {@link startDemoFarm}. */
export interface DemoFarm {
  ports: FarmPorts;
  /** Base URLs, e.g. `http://127.0.0.1:41234`. */
  urls: Record<keyof FarmPorts, string>;
  /** The alerts part's state directory (holds `outbox.jsonl`). */
  stateDir: string;
  /** Everything the process wrote so far. */
  log(): string;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its temp dir. */
  stop(): Promise<void>;
}

/**
 * Stand-ins for the node's tools, so that the agent on this machine (no
 * GPU, no Tailscale, no systemd as PID 1, no Blender) reports every kind
 * of series a render node has. Each prints what the real tool prints for
 * a healthy node.
 */
const FAKE_TOOLS: Record<string, string> = {
  "nvidia-smi": `#!/bin/sh
case "$*" in
  *uuid*) echo "00000000:01:00.0, GPU-0a1b2c3d-0000-4000-8000-000000000001, NVIDIA GeForce RTX 4090" ;;
  *) echo "550.127.05, 0x268410DE, NVIDIA GeForce RTX 4090, 00000000:01:00.0, 35, 24564, 8123, 16441, 97, 41, 71, [N/A], 310.20, 450.00, 2520, 10501, 0x0000000000000004" ;;
esac
`,
  tailscale: `#!/bin/sh
cat <<'JSON'
{"Version":"1.80.2","TUN":true,"BackendState":"Running",
 "TailscaleIPs":["100.64.0.13"],"Health":[],
 "Self":{"HostName":"render-test","Online":true,
  "TailscaleIPs":["100.64.0.13"],"KeyExpiry":"2099-01-01T00:00:00Z"},
 "Peer":{}}
JSON
`,
  systemctl: `#!/bin/sh
cat <<'EOF'
LoadState=loaded
ActiveState=active
SubState=running
NRestarts=0
ExecMainStatus=0
ExecStart={ path=/usr/local/bin/flamenco-worker ; argv[]=/usr/local/bin/flamenco-worker ; }
EOF
`,
  blender: `#!/bin/sh
echo "Blender 4.2.3 LTS"
`,
};

/** Options of {@link startDemoFarm}. */
export interface DemoFarmOptions {
  /** Simulated clock speed; default 20. */
  simSpeed?: number;
  /** Extra config merged into the alerts section (e.g. rule settings). */
  alerts?: Record<string, unknown>;
  /** Give up waiting for the three `/metrics` after this; default 90 s. */
  readyTimeoutMs?: number;
}

/**
 * Starts `farmwatch all` on the demo farm as a child process
 * (`node --import tsx src/cli/entry.ts all --config <tmp>`), every part on
 * a free port of 127.0.0.1, the simulator sped up, the alerts state in a
 * temp dir, and resolves once the agent's, exporter's and alerts part's
 * `/metrics` answer 200.
 */
export async function startDemoFarm(
  options: DemoFarmOptions = {},
): Promise<DemoFarm> {
  const dir = await mkdtemp(path.join(tmpdir(), "fw-e2e-"));
  const ports: FarmPorts = {
    agent: await freePort(),
    exporter: await freePort(),
    alerts: await freePort(),
    sim: await freePort(),
  };
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const urls = {
    agent: local(ports.agent),
    exporter: local(ports.exporter),
    alerts: local(ports.alerts),
    sim: local(ports.sim),
  };
  const stateDir = path.join(dir, "state");
  const tools = await writeFakeTools(path.join(dir, "bin"));
  const configFile = path.join(dir, "farmwatch.yaml");
  await writeFile(
    configFile,
    stringify(demoConfig(ports, stateDir, tools, options)),
  );

  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/entry.ts", "all", "--config", configFile],
    { cwd: REPO_ROOT, env: loopbackEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = collectOutput(child);
  const stop = async () => {
    await stopProcess(child, 10_000);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForMetrics(child, urls, options.readyTimeoutMs ?? 90_000);
  } catch (err) {
    await stop();
    throw new Error(`start farmwatch all: ${String(err)}\n${output()}`);
  }
  return { ports, urls, stateDir, log: output, stop };
}

async function waitForMetrics(
  child: ChildProcess,
  urls: Record<keyof FarmPorts, string>,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    "the agent, exporter and alerts part to serve /metrics",
    async () => {
      if (child.exitCode !== null) {
        throw new Error(`farmwatch exited with ${child.exitCode}`);
      }
      for (const url of [urls.agent, urls.exporter, urls.alerts]) {
        const res = await fetch(`${url}/metrics`);
        if (!res.ok) return undefined;
      }
      return true;
    },
    timeoutMs,
  );
}

function demoConfig(
  ports: FarmPorts,
  stateDir: string,
  tools: Record<string, string>,
  options: DemoFarmOptions,
): Record<string, unknown> {
  const local = (port: number) => ({ host: "127.0.0.1", port });
  return {
    log: { level: "warn" },
    agent: {
      listen: local(ports.agent),
      intervalSeconds: 1,
      mounts: ["/"],
      mountProbe: { watchNetworkMounts: false },
      gpu: { nvidiaSmiPath: tools["nvidia-smi"] },
      tailscale: { tailscalePath: tools.tailscale },
      workerUnit: { systemctlPath: tools.systemctl },
      versions: { blenderPath: tools.blender },
    },
    exporter: {
      listen: local(ports.exporter),
      pollIntervalSeconds: 1,
      // The simulated workers sit on 127.0.0.x with no agent; this host's
      // agent is the one that answers.
      agentPort: ports.agent,
      extraAgents: [`127.0.0.1:${ports.agent}`],
    },
    alerts: {
      listen: local(ports.alerts),
      exporterUrl: `http://127.0.0.1:${ports.exporter}`,
      evaluateIntervalSeconds: 1,
      stateDir,
      // No token reaches the child (see loopbackEnv), and should one slip
      // through, the Bot API it would call is a closed port on loopback.
      telegram: { apiRoot: "http://127.0.0.1:9" },
      ...options.alerts,
    },
    sim: { listen: local(ports.sim), speed: options.simSpeed ?? 20 },
  };
}

/**
 * The test's environment without farmwatch's own variables: a token or
 * password set in a developer's shell must never reach a test farm, which
 * would then talk to the real Telegram or mail server.
 */
function loopbackEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("FARMWATCH_")),
  );
}

async function writeFakeTools(dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const [name, script] of Object.entries(FAKE_TOOLS)) {
    const file = path.join(dir, name);
    await writeFile(file, script);
    await chmod(file, 0o755);
    paths[name] = file;
  }
  return paths;
}
