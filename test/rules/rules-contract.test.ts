import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigSchema } from "../../src/shared/config/schema.js";
import {
  durationSeconds,
  loadRules,
  PROMETHEUS_DIR,
  REPO_ROOT,
  type LoadedRule,
} from "./rule-files.js";

/** Alerts that exist only in Prometheus; docs/prometheus.md says why. */
const PROMETHEUS_ONLY = new Set(["FarmwatchAlertsDown"]);

/**
 * Where each built-in threshold appears in the PromQL: the fragment its
 * default value must produce in some rule of that name. Thresholds missing
 * here are applied by the exporter or cannot be said in PromQL; the
 * differences table in docs/prometheus.md names them.
 */
const THRESHOLD_FRAGMENTS: Record<
  string,
  Record<string, (v: number) => string>
> = {
  FlamencoManagerDown: {
    busySeconds: (v) => `flamenco_view_age_seconds[5m]) > ${v}`,
  },
  FlamencoWorkersVanished: { minWorkersBefore: (v) => `>= ${v}` },
  FlamencoWorkerStalled: {
    lastSeenSeconds: (v) => `> ${v}`,
    startingSeconds: (v) => `offset ${v / 60}m`,
    offlineWithQueuedSeconds: (v) => `offset ${v / 60}m`,
    unitRestarts: (v) => `>= ${v}`,
  },
  FlamencoRenderHung: {
    idleGpuRatio: (v) => `>= ${v}`,
    idleCpuRatio: (v) => `>= ${v}`,
  },
  FlamencoJobStuck: { stuckSeconds: (v) => `>= ${v}` },
  FarmwatchMountNearlyFull: {
    freeRatio: (v) => `< ${v}`,
    clearFreeRatio: (v) => `< ${v}`,
  },
  FarmwatchTailscaleKeyExpiring: { expiresWithinSeconds: (v) => `< ${v}` },
  FarmwatchGpuHot: {
    temperatureCelsius: (v) => `>= ${v}`,
    clearTemperatureCelsius: (v) => `>= ${v}`,
  },
  FarmwatchNodeMemoryLow: {
    availableRatio: (v) => `< ${v}`,
    clearAvailableRatio: (v) => `< ${v}`,
  },
};

const RULE_SETTINGS = new Set(["enabled", "forSeconds", "severity"]);

const rules = loadRules();
const alerts = rules.filter(
  (r): r is LoadedRule & { alert: string } => r.alert !== undefined,
);
const builtIns = ConfigSchema.parse({}).alerts.rules as Record<
  string,
  Record<string, unknown> & { forSeconds: number; severity: string }
>;
const runbook = readFileSync(path.join(PROMETHEUS_DIR, "runbook.md"), "utf8");

interface PromtoolTestGroup {
  name?: string;
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
  promql_expr_test?: { expr: string }[];
}

function promtoolTestGroups(): PromtoolTestGroup[] {
  const dir = path.join(REPO_ROOT, "test", "rules");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".test.yml"))
    .flatMap((f) => {
      const doc = parse(readFileSync(path.join(dir, f), "utf8")) as {
        tests: PromtoolTestGroup[];
      };
      return doc.tests;
    });
}

/**
 * Metric names with farmwatch's prefixes in PromQL (not the parts of a
 * recorded `level:metric:operation` name), histogram suffixes cut.
 */
export function metricNames(promql: string): string[] {
  const names =
    promql.match(/(?<![:\w])(?:flamenco|farmwatch)_[a-z0-9_]+/g) ?? [];
  return [
    ...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, ""))),
  ].sort();
}

/** The parts' docs and sources: where a metric name must appear. */
function partsMetricText(): string {
  const files = ["docs/agent.md", "docs/exporter.md", "docs/alerts.md"].map(
    (f) => path.join(REPO_ROOT, f),
  );
  const src = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? src(path.join(dir, e.name))
        : e.name.endsWith(".ts")
          ? [path.join(dir, e.name)]
          : [],
    );
  for (const part of ["agent", "exporter", "alerts"]) {
    files.push(...src(path.join(REPO_ROOT, "src", part)));
  }
  return files.map((f) => readFileSync(f, "utf8")).join("\n");
}

/** Squeezes folded YAML to one line for substring checks. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ");
}

describe("shipped alert rules", () => {
  it.each(alerts.map((a) => [a.alert, a] as const))(
    "%s has for, severity, a static summary, a description with labels " +
      "and value, and a runbook link to an existing section",
    (name, rule) => {
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(["critical", "warning", "info"]).toContain(rule.labels?.severity);
      const a = rule.annotations ?? {};
      expect(a.summary).toBeTruthy();
      expect(a.summary).not.toContain("{{");
      expect(a.description).toMatch(/\$labels\.\w+/);
      expect(a.description).toContain("$value");
      expect(a.runbook_url).toBe(`prometheus/runbook.md#${name.toLowerCase()}`);
      expect(runbook).toMatch(new RegExp(`^## ${name}$`, "m"));
    },
  );

  it("names exactly the alerts part's built-in rules, plus Prometheus-only ones", () => {
    const names = new Set(alerts.map((a) => a.alert));
    const expected = new Set([...Object.keys(builtIns), ...PROMETHEUS_ONLY]);
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it.each(Object.entries(builtIns))(
    "%s has the built-in rule's severity and for",
    (name, builtIn) => {
      const same = alerts.filter((a) => a.alert === name);
      for (const rule of same) {
        expect(rule.labels?.severity, rule.file).toBe(builtIn.severity);
        expect(durationSeconds(rule.for), rule.file).toBe(builtIn.forSeconds);
      }
    },
  );

  it.each(Object.entries(THRESHOLD_FRAGMENTS))(
    "%s uses the built-in rule's default thresholds",
    (name, fragments) => {
      const exprs = oneLine(
        alerts
          .filter((a) => a.alert === name)
          .map((a) => a.expr)
          .join(" "),
      );
      for (const [key, fragment] of Object.entries(fragments)) {
        const value = builtIns[name]![key];
        expect(typeof value, `${name}.${key}`).toBe("number");
        expect(exprs, `${name}.${key}`).toContain(fragment(value as number));
      }
    },
  );

  it("maps or documents every threshold of the built-in rules", () => {
    const doc = readFileSync(
      path.join(REPO_ROOT, "docs/prometheus.md"),
      "utf8",
    );
    for (const [name, settings] of Object.entries(builtIns)) {
      for (const key of Object.keys(settings)) {
        if (RULE_SETTINGS.has(key)) continue;
        if (THRESHOLD_FRAGMENTS[name]?.[key] !== undefined) continue;
        expect(doc, `${name}.${key}`).toContain(`${name}.${key}`);
      }
    }
  });

  it("has promtool tests for every alert: one firing, at least three groups", () => {
    const groups = promtoolTestGroups();
    for (const { alert } of alerts) {
      const mentioning = groups.filter(
        (g) =>
          g.alert_rule_test?.some((t) => t.alertname === alert) ||
          g.promql_expr_test?.some((t) =>
            oneLine(t.expr).includes(`alertname="${alert}"`),
          ),
      );
      const firing = groups.some((g) =>
        g.alert_rule_test?.some(
          (t) => t.alertname === alert && (t.exp_alerts?.length ?? 0) > 0,
        ),
      );
      expect(firing, `${alert} firing case`).toBe(true);
      expect(mentioning.length, alert).toBeGreaterThanOrEqual(3);
    }
  });

  it("reads only metrics that some part documents or registers", () => {
    const known = partsMetricText();
    const missing = metricNames(rules.map((r) => r.expr).join(" ")).filter(
      (name) => !new RegExp(`\\b${name}\\b`).test(known),
    );
    expect(missing).toEqual([]);
  });

  it("names recording rules level:metric:operations", () => {
    const records = rules.filter((r) => r.record !== undefined);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.record).toMatch(/^[a-z_]+:[a-z][a-z0-9_]*:[a-z0-9_]+$/);
    }
  });
});
