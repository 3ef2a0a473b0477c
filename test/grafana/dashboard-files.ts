import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** `grafana/dashboards/` of the repository. */
export const DASHBOARD_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../grafana/dashboards",
);

/** A datasource reference as Grafana writes it. */
export interface DatasourceRef {
  type?: string;
  uid?: string;
}

/** One query of a panel. */
export interface Target {
  refId: string;
  expr?: string;
  datasource?: DatasourceRef;
}

/** One panel; rows hold no queries and are not used in these files. */
export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DatasourceRef;
  gridPos?: { x: number; y: number; w: number; h: number };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Target[];
}

/** A template variable. */
export interface Variable {
  name: string;
  type: string;
  query?: string | { query: string };
  datasource?: DatasourceRef;
}

/** An annotation query. */
export interface Annotation {
  name: string;
  expr?: string;
  enable?: boolean;
  datasource?: DatasourceRef;
}

/** The parts of a dashboard JSON the tests look at. */
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: Annotation[] };
}

/** A PromQL expression found in a dashboard, and where. */
export interface FoundQuery {
  file: string;
  /** Panel title, `variable <name>` or `annotation <name>`. */
  where: string;
  expr: string;
}

/** Every dashboard file, by file name (`node.json`). */
export function loadDashboards(): Map<string, Dashboard> {
  const out = new Map<string, Dashboard>();
  for (const file of readdirSync(DASHBOARD_DIR).sort()) {
    if (!file.endsWith(".json")) continue;
    const text = readFileSync(path.join(DASHBOARD_DIR, file), "utf8");
    out.set(file, JSON.parse(text) as Dashboard);
  }
  return out;
}

/** The query text of a variable, whichever form Grafana saved it in. */
export function variableQuery(v: Variable): string | undefined {
  return typeof v.query === "string" ? v.query : v.query?.query;
}

/**
 * Every PromQL expression of a dashboard: panel targets, annotation
 * queries, and the series selectors inside `label_values(...)` variables.
 */
export function dashboardQueries(file: string, d: Dashboard): FoundQuery[] {
  const found: FoundQuery[] = [];
  for (const p of d.panels) {
    for (const t of p.targets ?? []) {
      if (t.expr) found.push({ file, where: p.title, expr: t.expr });
    }
  }
  for (const a of d.annotations.list) {
    if (a.expr)
      found.push({ file, where: `annotation ${a.name}`, expr: a.expr });
  }
  for (const v of d.templating.list) {
    const q = v.type === "query" ? variableQuery(v) : undefined;
    const m = q === undefined ? null : /^label_values\((.+),\s*\w+\)$/.exec(q);
    if (m) found.push({ file, where: `variable ${v.name}`, expr: m[1]! });
  }
  return found;
}
