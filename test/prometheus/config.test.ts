import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROMETHEUS_DIR } from "../rules/rule-files.js";

interface ScrapeJob {
  job_name: string;
  static_configs?: { targets: string[] }[];
  http_sd_configs?: { url: string }[];
  file_sd_configs?: { files: string[] }[];
  relabel_configs?: { target_label?: string }[];
}

const config = parse(
  readFileSync(path.join(PROMETHEUS_DIR, "prometheus.yml"), "utf8"),
) as { scrape_configs: ScrapeJob[]; rule_files: string[] };
const jobs = new Map(config.scrape_configs.map((j) => [j.job_name, j]));

/** The receiver Alertmanager picks for a label set, through amtool. */
function receiverFor(labels: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "amtool",
      ["config", "routes", "test", "--config.file=alertmanager.yml", ...labels],
      { cwd: PROMETHEUS_DIR, timeout: 30_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe("prometheus.yml", () => {
  it("scrapes the exporter and the alerts part on their default ports", () => {
    expect(
      jobs.get("farmwatch-exporter")?.static_configs?.[0]?.targets,
    ).toEqual(["127.0.0.1:9791"]);
    expect(jobs.get("farmwatch-alerts")?.static_configs?.[0]?.targets).toEqual([
      "127.0.0.1:9792",
    ]);
  });

  it("finds the agents through the exporter's http_sd and a file_sd list", () => {
    const agents = jobs.get("farmwatch-agent");
    expect(agents?.http_sd_configs?.map((h) => h.url)).toEqual([
      "http://127.0.0.1:9791/api/v1/sd/agents",
    ]);
    expect(agents?.file_sd_configs?.[0]?.files).toEqual(["targets/*.yml"]);
    expect(agents?.relabel_configs?.map((r) => r.target_label)).toContain(
      "node",
    );
  });

  it("loads every rule file of prometheus/rules", () => {
    expect(config.rule_files).toEqual(["rules/*.rules.yml"]);
  });
});

describe("targets/agents.yml.example", () => {
  it("is a file_sd list naming each agent target's node", () => {
    const groups = parse(
      readFileSync(
        path.join(PROMETHEUS_DIR, "targets/agents.yml.example"),
        "utf8",
      ),
    ) as { targets: string[]; labels: { node?: string } }[];
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      expect(g.targets.length).toBeGreaterThan(0);
      for (const t of g.targets) expect(t).toMatch(/^[\w.-]+:9790$/);
      expect(g.labels.node).toBeTruthy();
    }
  });
});

describe("alertmanager.yml routing", () => {
  it("sends critical alerts to Telegram", async () => {
    expect((await receiverFor(["severity=critical"])).trim()).toBe("telegram");
  });

  it("sends warnings to farmwatch's webhook", async () => {
    expect((await receiverFor(["severity=warning"])).trim()).toBe("farmwatch");
    const am = readFileSync(
      path.join(PROMETHEUS_DIR, "alertmanager.yml"),
      "utf8",
    );
    expect(am).toContain("url: http://127.0.0.1:9792/api/v1/alertmanager");
  });

  it("routes info nowhere", async () => {
    expect((await receiverFor(["severity=info"])).trim()).toBe("null");
  });
});
