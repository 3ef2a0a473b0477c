import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  dashboardQueries,
  loadDashboards,
  type FoundQuery,
} from "../grafana/dashboard-files.js";
import { loadRules } from "../rules/rule-files.js";
import {
  startPrometheus,
  waitFor,
  type RunningPrometheus,
} from "../support/prometheus.js";
import {
  shippedAlertmanagerConfig,
  startAlertmanager,
  type RunningAlertmanager,
} from "./alertmanager.js";
import {
  failFramesOnce,
  failUntilCounted,
  readOutbox,
} from "./demo-actions.js";
import { startDemoFarm, type DemoFarm } from "./farm.js";
import { shippedConfigFor, shippedRuleFiles } from "./prometheus-config.js";

/** A rule as Prometheus' `GET /api/v1/rules` reports it. */
interface RuleStatus {
  name: string;
  health: string;
  lastError?: string;
}

/** Every PromQL expression of the dashboards and the recording rules. */
const QUERIES: FoundQuery[] = [
  ...[...loadDashboards()].flatMap(([file, d]) => dashboardQueries(file, d)),
  ...loadRules()
    .filter((r) => r.record !== undefined)
    .map((r) => ({ file: r.file, where: r.record!, expr: r.expr })),
];

/**
 * Alert annotations return series only while an alert fires, which on a
 * healthy demo farm is not something to wait for: they must parse, and
 * their data is shown by the rules' promtool tests instead.
 */
function isAlertAnnotation(q: FoundQuery): boolean {
  return q.where.startsWith("annotation ") && q.expr.includes("ALERTS{");
}

let farm: DemoFarm;
let prom: RunningPrometheus;
let am: RunningAlertmanager;

/**
 * Values for the dashboards' template variables, read from Prometheus at
 * each try: a demo job finishes within minutes and takes its series with
 * it, so the job is the unfinished one with the most time left.
 */
async function currentVars(): Promise<Record<string, string>> {
  const label = async (expr: string, name: string) =>
    (await prom.query(expr)).samples[0]?.metric[name];
  const node = await label('up{job="farmwatch-agent"} == 1', "node");
  const job =
    (await label("topk(1, flamenco_job_eta_seconds)", "job_name")) ??
    (await label("flamenco_job_status", "job_name"));
  const type =
    job === undefined
      ? undefined
      : await label(`flamenco_job_status{job_name="${job}"}`, "type");
  const vars: Record<string, string> = {};
  if (node !== undefined) vars.node = node;
  if (job !== undefined) vars.job = job;
  if (type !== undefined) vars.job_type = type;
  return vars;
}

/** Fills Grafana's variables; `$1` of label_replace is not one. */
function substitute(expr: string, vars: Record<string, string>): string {
  return expr
    .replace(/\$__rate_interval\b/g, "1m")
    .replace(/\$([a-z_]\w*)/g, (all, name: string) => vars[name] ?? all);
}

beforeAll(async () => {
  farm = await startDemoFarm();
  await failUntilCounted(farm);
  am = await startAlertmanager(
    await shippedAlertmanagerConfig(farm.ports.alerts),
  );
  prom = await startPrometheus({
    config: shippedConfigFor(farm.ports, am.address),
    files: {
      ...shippedRuleFiles(),
      // The file_sd alternative, next to http_sd: this host's agent once
      // more, under a name and without a node label.
      "targets/agents.yml": stringify([
        { targets: [`localhost:${farm.ports.agent}`] },
      ]),
    },
  });
}, 240_000);

afterAll(async () => {
  await prom?.stop();
  await am?.stop();
  await farm?.stop();
}, 30_000);

describe("dashboards and recording rules against the demo farm", () => {
  it("finds queries in all three dashboards and the recording rules", () => {
    const files = new Set(QUERIES.map((q) => q.file));
    expect([...files].sort()).toEqual([
      "agent.rules.yml",
      "farm-overview.json",
      "flamenco.rules.yml",
      "job.json",
      "node.json",
    ]);
  });

  it.each(QUERIES.map((q) => [`${q.file}: ${q.where}`, q] as const))(
    "%s parses and returns data",
    async (_name, q) => {
      if (isAlertAnnotation(q)) {
        await prom.query(substitute(q.expr, await currentVars()));
        return;
      }
      // Rates and quantiles need a few scrapes and finished tasks first.
      const samples = await waitFor(
        `data from ${q.expr}`,
        async () => {
          const expr = substitute(q.expr, await currentVars());
          if (/\$[a-z_]/.test(expr)) return undefined;
          const r = await prom.query(expr);
          return r.samples.length > 0 ? r.samples : undefined;
        },
        45_000,
        1_000,
      );
      expect(samples.length).toBeGreaterThan(0);
    },
    60_000,
  );
});

describe("the shipped Prometheus config and rules on the demo farm", () => {
  it("evaluates every shipped rule without an error", async () => {
    const total = loadRules().length;
    const rules = await waitFor(
      "every rule evaluated once",
      async () => {
        const data = (await prom.api("rules")) as {
          groups: { rules: RuleStatus[] }[];
        };
        const all = data.groups.flatMap((g) => g.rules);
        const done = all.filter((r) => r.health !== "unknown");
        return all.length === total && done.length === total ? all : undefined;
      },
      30_000,
    );
    const broken = rules
      .filter((r) => r.health !== "ok")
      .map((r) => `${r.name}: ${r.lastError}`);
    expect(broken).toEqual([]);
  });

  it("delivers a warning of the shipped rules through Alertmanager's webhook to the alerts part", async () => {
    await waitFor(
      "FlamencoFramesFailed from Alertmanager in the outbox",
      async () => {
        await failFramesOnce(farm);
        const lines = await readOutbox(farm);
        return lines.some(
          (n) =>
            n.origin === "alertmanager" &&
            n.alertname === "FlamencoFramesFailed" &&
            n.status === "firing",
        )
          ? true
          : undefined;
      },
      90_000,
      2_000,
    );
  }, 120_000);

  it("names a file_sd target without a node label after its host", async () => {
    const up = await waitFor(
      "the file_sd agent target scraped",
      async () => {
        const r = await prom.query(
          'up{job="farmwatch-agent",node="localhost"}',
        );
        return r.samples[0];
      },
      30_000,
    );
    expect(up.value[1]).toBe("1");
  });
});

describe("promtool check metrics on the live parts", () => {
  it.each(["agent", "exporter", "alerts"] as const)(
    "the %s's /metrics passes promtool check metrics",
    async (part) => {
      const body = await (await fetch(`${farm.urls[part]}/metrics`)).text();
      const dir = await mkdtemp(path.join(tmpdir(), "fw-lint-"));
      try {
        const file = path.join(dir, "metrics.txt");
        await writeFile(file, body);
        const result = await checkMetrics(file);
        expect(result.code, result.output).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});

/** `promtool check metrics < file`; exit code and combined output. */
function checkMetrics(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      "sh",
      ["-c", 'promtool check metrics < "$1"', "sh", file],
      { timeout: 30_000 },
      (err, stdout, stderr) => {
        const code =
          err === null ? 0 : typeof err.code === "number" ? err.code : -1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
    child.stdin?.end();
  });
}
