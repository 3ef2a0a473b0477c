import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hungFuseMount } from "../test/support/fuse-hang.js";
import { buildAgent, type AgentBuild } from "./agent-build.js";
import {
  cpuSeconds,
  freePort,
  quantile,
  rssBytes,
  startProcess,
  timedGet,
  waitUp,
} from "./agent-procs.js";
import type { BenchMeasure, BenchResult } from "./types.js";

/** Seconds of each phase (without, then with a hung mount). */
const PHASE_SECONDS = Number(process.env.BENCH_AGENT_PHASE_SECONDS ?? 30);
/** Seconds between scrapes: accelerated from Prometheus' usual 15 s. */
const SCRAPE_SECONDS = Number(process.env.BENCH_AGENT_SCRAPE_SECONDS ?? 1);
/** Node flags the agent is measured with, as docs/agent.md recommends. */
const AGENT_NODE_FLAGS = ["--max-semi-space-size=1"];
/** A scrape slower than this is cut off and counted at this value. */
const SCRAPE_TIMEOUT_MS = 15_000;

interface Target {
  name: string;
  url: string;
  pid: number;
}

interface PhaseResult {
  latenciesMs: Map<string, number[]>;
  failures: Map<string, number>;
}

/** Scrapes every target on its own loop, so one slow target never
 * delays the others' scrapes. */
async function scrapePhase(targets: Target[], seconds: number) {
  const result: PhaseResult = { latenciesMs: new Map(), failures: new Map() };
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    targets.map(async (t) => {
      const latencies: number[] = [];
      let failures = 0;
      while (Date.now() < until) {
        const tick = Date.now();
        try {
          latencies.push(await timedGet(`${t.url}/metrics`, SCRAPE_TIMEOUT_MS));
        } catch {
          // A failed scrape counts at the cut-off and as a failure.
          latencies.push(SCRAPE_TIMEOUT_MS);
          failures++;
        }
        const wait = tick + SCRAPE_SECONDS * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      result.latenciesMs.set(t.name, latencies);
      result.failures.set(t.name, failures);
    }),
  );
  return result;
}

function fmtMb(mb: number): string {
  return mb.toFixed(1);
}

function measure(
  name: string,
  unit: string,
  subject: number,
  peer: number,
  target?: { text: string; met: (v: number) => boolean },
): BenchMeasure {
  return {
    name,
    unit,
    subject,
    peer,
    lowerIsBetter: true,
    ...(target && { target: target.text, targetMet: target.met(subject) }),
  };
}

type Cleanups = (() => void)[];

/** Starts the agent (tuned and default flags) and node_exporter. */
async function startTargets(
  build: AgentBuild,
  hungDir: string,
  cleanups: Cleanups,
): Promise<Target[]> {
  const start = async (name: string, cmd: string, args: string[]) => {
    const port = await freePort();
    const proc = startProcess(
      cmd,
      // In JSON the placeholder is a quoted string; the port is a number.
      args.map((a) => a.replace(/"\{port\}"|\{port\}/g, String(port))),
      build.dir,
    );
    cleanups.push(proc.stop);
    return { name, url: `http://127.0.0.1:${port}`, pid: proc.child.pid! };
  };
  const agentArgs = build.agentArgs({
    listen: { host: "127.0.0.1", port: "{port}" },
    mounts: [hungDir],
  });
  const targets = [
    await start("agent", process.execPath, [...AGENT_NODE_FLAGS, ...agentArgs]),
    await start("node_exporter", "prometheus-node-exporter", [
      "--web.listen-address=127.0.0.1:{port}",
    ]),
    await start("agent_default_flags", process.execPath, agentArgs),
  ];
  for (const t of targets) await waitUp(`${t.url}/metrics`, 20_000);
  // Let start-up work (first collector runs, imports) settle.
  await new Promise((r) => setTimeout(r, 3_000));
  return targets;
}

interface RunResult {
  plain: PhaseResult;
  hung: PhaseResult;
  cpuShare: number[];
  rssMb: number[];
}

/** Scrapes without, then with a hung FUSE mount; CPU over both. */
async function runPhases(
  targets: Target[],
  fuseParent: string,
  cleanups: Cleanups,
): Promise<RunResult> {
  const cpu0 = targets.map((t) => cpuSeconds(t.pid));
  const t0 = performance.now();
  const plain = await scrapePhase(targets, PHASE_SECONDS);
  const fuse = await hungFuseMount(fuseParent);
  cleanups.unshift(() => fuse.close());
  const hung = await scrapePhase(targets, PHASE_SECONDS);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpuShare = targets.map(
    (t, i) => ((cpuSeconds(t.pid) - cpu0[i]!) / wallSeconds) * 100,
  );
  const rssMb = targets.map((t) => rssBytes(t.pid) / 1e6);
  return { plain, hung, cpuShare, rssMb };
}

function toResult(r: RunResult): BenchResult {
  const lat = (p: PhaseResult, name: string, q: number) =>
    quantile(p.latenciesMs.get(name)!, q);
  const pair = (p: PhaseResult, q: number) =>
    [lat(p, "agent", q), lat(p, "node_exporter", q)] as const;
  return {
    name: "agent vs node_exporter",
    subject: "farmwatch agent",
    peer: "prometheus-node-exporter",
    measures: [
      measure("RSS (incl. probes)", "MB", r.rssMb[0]!, r.rssMb[1]!, {
        text: "< 80 MB",
        met: (v) => v < 80,
      }),
      measure("CPU", "% of a core", r.cpuShare[0]!, r.cpuShare[1]!, {
        text: "< 1 %",
        met: (v) => v < 1,
      }),
      measure("scrape p50", "ms", ...pair(r.plain, 0.5)),
      measure("scrape p99", "ms", ...pair(r.plain, 0.99)),
      measure("scrape p50 with hung mount", "ms", ...pair(r.hung, 0.5)),
      measure("scrape p99 with hung mount", "ms", ...pair(r.hung, 0.99), {
        text: "< 50 ms",
        met: (v) => v < 50,
      }),
      measure("scrape max with hung mount", "ms", ...pair(r.hung, 1)),
    ],
    notes: notes(r),
  };
}

function notes(r: RunResult): string[] {
  const failed = (name: string) =>
    r.plain.failures.get(name)! + r.hung.failures.get(name)!;
  return [
    `agent run with node ${AGENT_NODE_FLAGS.join(" ")} (docs/agent.md); ` +
      `with Node's default flags its RSS was ${fmtMb(r.rssMb[2]!)} MB`,
    `${PHASE_SECONDS} s without and ${PHASE_SECONDS} s with a hung FUSE ` +
      `mount; one scrape per target every ${SCRAPE_SECONDS} s ` +
      "(BENCH_AGENT_PHASE_SECONDS, BENCH_AGENT_SCRAPE_SECONDS)",
    "agent with default intervals (15 s), watching the hung mount; " +
      "node_exporter with Debian defaults",
    `failed or cut-off scrapes (${SCRAPE_TIMEOUT_MS} ms): agent ` +
      `${failed("agent")}, node_exporter ${failed("node_exporter")}`,
    "CPU includes the accelerated scrapes; node_exporter does its " +
      "work per scrape, the agent per collector interval",
  ];
}

/** Agent vs node_exporter: CPU, RSS, scrape latency with a hung mount. */
export default async function agentBench(): Promise<BenchResult[]> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      "the agent bench mounts a hung FUSE file system: run as root",
    );
  }
  const here = path.dirname(new URL(import.meta.url).pathname);
  const cleanups: Cleanups = [];
  try {
    const build = buildAgent(path.resolve(here, ".."));
    cleanups.push(() => rmSync(build.dir, { recursive: true, force: true }));
    const fuseParent = mkdtempSync(path.join(os.tmpdir(), "fw-bench-fuse-"));
    cleanups.push(() => rmSync(fuseParent, { recursive: true, force: true }));
    const targets = await startTargets(
      build,
      path.join(fuseParent, "hang"),
      cleanups,
    );
    return [toResult(await runPhases(targets, fuseParent, cleanups))];
  } finally {
    for (const c of cleanups) {
      try {
        c();
      } catch {
        // Best effort: one failed cleanup must not skip the others.
      }
    }
  }
}
