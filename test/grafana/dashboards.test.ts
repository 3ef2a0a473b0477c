import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  DASHBOARD_DIR,
  dashboardQueries,
  loadDashboards,
  variableQuery,
  type DatasourceRef,
} from "./dashboard-files.js";

const dashboards = loadDashboards();
const entries = [...dashboards.entries()];
const DATASOURCE_VAR = "${datasource}";
const PROVISIONING = path.resolve(DASHBOARD_DIR, "../provisioning");

function isVariableRef(ds: DatasourceRef | undefined): boolean {
  return ds?.type === "prometheus" && ds.uid === DATASOURCE_VAR;
}

describe("grafana dashboards", () => {
  it("ships the farm overview, node and job dashboards", () => {
    expect([...dashboards.keys()].sort()).toEqual([
      "farm-overview.json",
      "job.json",
      "node.json",
    ]);
  });

  it.each(entries)("%s has a uid derived from its file name", (file, d) => {
    expect(d.uid).toBe(`farmwatch-${path.basename(file, ".json")}`);
    // Grafana refuses uids longer than 40 characters.
    expect(d.uid.length).toBeLessThanOrEqual(40);
  });

  it.each(entries)("%s sets a unit on every panel", (file, d) => {
    const without = d.panels
      .filter((p) => !p.fieldConfig?.defaults?.unit)
      .map((p) => p.title);
    expect(without).toEqual([]);
  });

  it.each(entries)(
    "%s refers to its datasource only through the datasource variable",
    (file, d) => {
      const ds = d.templating.list.find((v) => v.name === "datasource");
      expect(ds?.type).toBe("datasource");
      expect(ds && variableQuery(ds)).toBe("prometheus");
      const refs = [
        ...d.panels.map((p) => [p.title, p.datasource] as const),
        ...d.panels.flatMap((p) =>
          (p.targets ?? []).map((t) => [p.title, t.datasource] as const),
        ),
        ...d.annotations.list.map((a) => [a.name, a.datasource] as const),
        ...d.templating.list
          .filter((v) => v.type === "query")
          .map((v) => [v.name, v.datasource] as const),
      ];
      const bad = refs.filter(([, ref]) => !isVariableRef(ref));
      expect(bad.map(([where]) => where)).toEqual([]);
    },
  );

  it.each(entries)("%s annotates firing alerts", (file, d) => {
    const alerts = d.annotations.list.filter(
      (a) => a.enable && a.expr?.includes('ALERTS{alertstate="firing"'),
    );
    expect(alerts.length).toBe(1);
  });

  it.each(entries)("%s has unique panel ids and a layout", (file, d) => {
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) {
      expect(p.gridPos, p.title).toBeDefined();
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
  });

  it("has a node variable on the node dashboard used by its panels", () => {
    const d = dashboards.get("node.json")!;
    const node = d.templating.list.find((v) => v.name === "node");
    expect(node && variableQuery(node)).toMatch(/^label_values\(.+, node\)$/);
    for (const p of d.panels) {
      for (const t of p.targets ?? []) {
        expect(t.expr, p.title).toContain('node="$node"');
      }
    }
  });

  it("has a job variable on the job dashboard used by its panels", () => {
    const d = dashboards.get("job.json")!;
    const job = d.templating.list.find((v) => v.name === "job");
    expect(job && variableQuery(job)).toMatch(/^label_values\(.+, job_name\)$/);
    for (const p of d.panels) {
      const exprs = (p.targets ?? []).map((t) => t.expr ?? "").join(" ");
      expect(exprs, p.title).toMatch(/\$job\b|\$job_type\b|worker/);
    }
  });

  it("finds PromQL in every dashboard for the end-to-end check", () => {
    for (const [file, d] of entries) {
      expect(dashboardQueries(file, d).length).toBeGreaterThan(5);
    }
  });
});

describe("grafana provisioning", () => {
  it("provisions a Prometheus datasource", () => {
    const doc = parse(
      readFileSync(
        path.join(PROVISIONING, "datasources/farmwatch.yml"),
        "utf8",
      ),
    ) as { apiVersion: number; datasources: { type: string; url: string }[] };
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources.map((d) => d.type)).toEqual(["prometheus"]);
  });

  it("provisions the dashboards from files", () => {
    const doc = parse(
      readFileSync(path.join(PROVISIONING, "dashboards/farmwatch.yml"), "utf8"),
    ) as {
      apiVersion: number;
      providers: { type: string; options: { path: string } }[];
    };
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers[0]?.type).toBe("file");
    expect(doc.providers[0]?.options.path).toMatch(/^\//);
  });
});
