import { writeFileSync } from "node:fs";
import path from "node:path";
import type { FaultFarm, PartName } from "./farm.js";
import { request } from "./http.js";
import { startPart, stopPart, waitExit } from "./proc.js";
import { newResult, type FaultResult } from "./report.js";

/** A bad config and a word of what its error must name. */
interface BadConfig {
  name: string;
  text: (good: string) => string;
  /** Text the error output must contain: the offending key path. */
  mentions: string;
}

const BAD_CONFIGS: readonly BadConfig[] = [
  {
    name: "yaml syntax error",
    text: (good) => `${good}\n  : [unclosed\n`,
    mentions: "YAML",
  },
  {
    name: "unknown key",
    text: (good) =>
      good.replace('"alerts": {', '"alerts": {"evaluateEvery": 3,'),
    mentions: "alerts.evaluateEvery",
  },
  {
    name: "wrong type",
    text: (good) =>
      good.replace(
        '"pollIntervalSeconds": 0.5',
        '"pollIntervalSeconds": "soon"',
      ),
    mentions: "exporter.pollIntervalSeconds",
  },
];

/** Parts restarted with each bad config next to the running ones. */
const PARTS: readonly Exclude<PartName, "sim">[] = [
  "exporter",
  "agent",
  "alerts",
];

/** How long a part may take to refuse a bad config, ms. */
const EXIT_WITHIN_MS = 20_000;

async function tryBadStart(
  farm: FaultFarm,
  part: Exclude<PartName, "sim">,
  file: string,
  bad: BadConfig,
): Promise<string[]> {
  const p = startPart(`${part}-bad`, [part, "--config", file]);
  const code = await waitExit(p, EXIT_WITHIN_MS);
  const problems: string[] = [];
  if (code === "running") {
    await stopPart(p);
    return [
      `${part} with ${bad.name}: still running after ${EXIT_WITHIN_MS} ms`,
    ];
  }
  if (code !== 2)
    problems.push(`${part} with ${bad.name}: exit ${code}, not 2`);
  if (!p.tail().includes(bad.mentions)) {
    problems.push(
      `${part} with ${bad.name}: error does not name ${bad.mentions}: ` +
        p.tail().split("\n").slice(-2).join(" | "),
    );
  }
  const running = farm.parts.get(part)!;
  if (running.exit !== undefined) problems.push(`running ${part} died`);
  const h = await request(`${farm.url(part)}/healthz`);
  if (h.status === 0) problems.push(`running ${part} stopped answering`);
  return problems;
}

/**
 * A bad config reload. The parts have no reload (no SIGHUP handler; the
 * units no ExecReload), so a reload is a restart: with a bad config the
 * new process must exit 2 naming the problem before it opens a port, and
 * the running one must not notice.
 */
export async function badConfigRestart(farm: FaultFarm): Promise<FaultResult> {
  const r = newResult("bad config on restart (exit 2, old kept)");
  const started = Date.now();
  const good = JSON.stringify(farm.configObject(), null, 2);
  for (const bad of BAD_CONFIGS) {
    const file = path.join(
      farm.layout.root,
      `bad-${bad.name.replace(/\W+/g, "-")}.yaml`,
    );
    writeFileSync(file, bad.text(good));
    const checks = await Promise.all(
      PARTS.map((part) => tryBadStart(farm, part, file, bad)),
    );
    r.problems.push(...checks.flat());
  }
  for (const [name, p] of farm.parts) {
    if (p.exit !== undefined && !p.stoppedOnPurpose) {
      r.crashes++;
      r.problems.push(`${name} crashed during the bad config restarts`);
    }
  }
  r.seconds = (Date.now() - started) / 1000;
  if (r.problems.length > 0) r.verdict = "FAIL";
  return r;
}
