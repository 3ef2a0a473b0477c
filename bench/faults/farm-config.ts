import path from "node:path";
import type { FakeTools } from "./fakes.js";

/** The Telegram chat that gets every alert. */
export const ALERT_CHAT_ID = -100200300;
/** Farm seconds per real second of the simulated Manager. */
export const SIM_SPEED = 30;
/** Size of the tmpfs holding the alerts part's state directory. */
export const STATE_FS_SIZE = "2m";

/** The parts of the demo farm, each in its own process. */
export type PartName = "sim" | "exporter" | "agent" | "alerts";

/** Ports and directories of one fault-suite run. */
export interface FarmLayout {
  root: string;
  mount: string;
  stateDir: string;
  configFile: string;
  ports: Record<PartName, number>;
  nodeName: string;
}

const RULE_FOR_SECONDS = 1;

/** Rules whose timing the suite shortens so a fault shows within seconds. */
const FAST_RULES = [
  "FlamencoManagerDown",
  "FarmwatchExporterDown",
  "FlamencoWorkerStalled",
  "FlamencoRenderHung",
  "FarmwatchMountDown",
  "FarmwatchMountHung",
  "FarmwatchMountReadOnly",
  "FarmwatchTailscaleDown",
  "FarmwatchGpuQueryFailing",
  "FarmwatchDeliveryFailing",
];

/**
 * Rules that cannot hold on a simulated farm watched by one agent: the
 * simulated workers have no agents, finished jobs are routine there, and
 * the simulated Blender versions differ from this host's on purpose.
 */
const OFF_RULES = [
  "FarmwatchAgentDown",
  "FlamencoJobFinished",
  "FarmwatchVersionMismatch",
];

function rulesConfig(): Record<string, unknown> {
  const rules: Record<string, Record<string, unknown>> = {};
  for (const r of FAST_RULES) rules[r] = { forSeconds: RULE_FOR_SECONDS };
  for (const r of OFF_RULES) rules[r] = { enabled: false };
  rules.FlamencoRenderHung = {
    forSeconds: RULE_FOR_SECONDS,
    minNoProgressSeconds: 120,
    medianFactor: 3,
    // The suite's host is shared and busy; the fake GPU idles instead.
    idleCpuRatio: 1,
  };
  rules.FlamencoWorkerStalled = { forSeconds: RULE_FOR_SECONDS };
  // A Manager answering only 503 counts as down once its last good view
  // is this old: seconds here, five minutes by default.
  rules.FlamencoManagerDown = { forSeconds: RULE_FOR_SECONDS, busySeconds: 2 };
  return rules;
}

type At = (p: PartName) => { host: string; port: number };

function simSection(at: At): Record<string, unknown> {
  return {
    listen: at("sim"),
    workers: 4,
    jobs: 4,
    unfinishedJobs: 3,
    framesPerJob: 400,
    frameSeconds: 40,
    failureRatio: 0,
    speed: SIM_SPEED,
    seed: 7,
  };
}

function exporterSection(l: FarmLayout, at: At): Record<string, unknown> {
  return {
    listen: at("exporter"),
    pollIntervalSeconds: 0.5,
    backoffMaxSeconds: 2,
    stalledTaskMinSeconds: 120,
    stalledTaskMedianFactor: 3,
    failedTaskRetentionSeconds: 60,
    // The simulator leaves a job's `updated` alone when only its tasks
    // change, so tasks are re-read every second instead (see the report).
    taskRefreshSeconds: 1,
    agentPort: l.ports.agent,
  };
}

function agentSection(
  l: FarmLayout,
  at: At,
  fakes: FakeTools,
): Record<string, unknown> {
  return {
    listen: at("agent"),
    nodeName: l.nodeName,
    intervalSeconds: 0.5,
    mounts: [l.mount],
    mountProbe: {
      watchNetworkMounts: false,
      probeTimeoutSeconds: 1,
      canaryWriteEnabled: true,
      fstabPath: path.join(l.root, "fstab"),
    },
    gpu: {
      nvidia: "on",
      nvidiaSmiPath: fakes.nvidiaSmi,
      queryTimeoutSeconds: 1,
    },
    tailscale: { tailscalePath: fakes.tailscale, statusTimeoutSeconds: 1 },
    workerUnit: { systemctlPath: fakes.systemctl, systemctlTimeoutSeconds: 1 },
    versions: { blenderPath: path.join(fakes.dir, "no-blender") },
  };
}

function alertsSection(
  l: FarmLayout,
  at: At,
  botApi: string,
  smtpPort: number,
): Record<string, unknown> {
  return {
    listen: at("alerts"),
    exporterUrl: `http://127.0.0.1:${l.ports.exporter}`,
    agents: [`http://127.0.0.1:${l.ports.agent}`],
    evaluateIntervalSeconds: 0.5,
    fetchTimeoutSeconds: 2,
    stateDir: l.stateDir,
    keepFiringForSeconds: 1,
    groupIntervalSeconds: 1,
    repeatIntervalSeconds: 3600,
    deliveryRetryMaxSeconds: 2,
    rules: rulesConfig(),
    telegram: {
      apiRoot: botApi,
      chatIds: [ALERT_CHAT_ID],
      requestTimeoutSeconds: 3,
      // A chat that blocked the bot is tried again after this, not 15 min.
      blockedRetrySeconds: 3,
    },
    email: {
      smtp: {
        host: "127.0.0.1",
        port: smtpPort,
        requireTLS: false,
        connectionTimeoutSeconds: 2,
        greetingTimeoutSeconds: 2,
        socketTimeoutSeconds: 3,
      },
      from: "farmwatch@farm.test",
      to: ["owner@farm.test"],
    },
  };
}

/**
 * The whole config of the run, one file for every part: everything on
 * 127.0.0.1, intervals and `for` durations cut to fractions of a second
 * so that each fault shows and heals within seconds.
 */
export function farmConfig(
  l: FarmLayout,
  fakes: FakeTools,
  botApi: string,
  smtpPort: number,
): Record<string, unknown> {
  const at: At = (p) => ({ host: "127.0.0.1", port: l.ports[p] });
  return {
    log: { level: "warn" },
    manager: {
      url: `http://127.0.0.1:${l.ports.sim}`,
      requestTimeoutSeconds: 2,
    },
    sim: simSection(at),
    exporter: exporterSection(l, at),
    agent: agentSection(l, at, fakes),
    alerts: alertsSection(l, at, botApi, smtpPort),
  };
}
