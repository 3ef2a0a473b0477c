import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { PROMETHEUS_DIR, ruleFileNames } from "../rules/rule-files.js";
import type { FarmPorts } from "./farm.js";

interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  static_configs?: { targets: string[] }[];
  http_sd_configs?: { url: string; refresh_interval?: string }[];
  file_sd_configs?: unknown[];
}

interface PrometheusConfig {
  global: Record<string, unknown>;
  rule_files: string[];
  alerting?: {
    alertmanagers: { static_configs: { targets: string[] }[] }[];
  };
  scrape_configs: ScrapeConfig[];
}

/** The shipped default ports and what replaces each in a test. */
const DEFAULT_PORTS: Record<string, keyof FarmPorts> = {
  "9790": "agent",
  "9791": "exporter",
  "9792": "alerts",
};

/**
 * The shipped `prometheus/prometheus.yml`, changed only where a test must:
 * the parts' default ports become the test's, intervals shrink to one
 * second so that data arrives in seconds, and alerts go to the test's
 * Alertmanager at `alertmanager` (`host:port`). Rule files keep their
 * shipped paths.
 */
export function shippedConfigFor(
  ports: FarmPorts,
  alertmanager: string,
): string {
  const text = readFileSync(
    path.join(PROMETHEUS_DIR, "prometheus.yml"),
    "utf8",
  );
  const config = parse(text) as PrometheusConfig;
  const rewrite = (hostPort: string) =>
    hostPort.replace(/:(\d+)(?=\/|$)/, (all, port: string) => {
      const part = DEFAULT_PORTS[port];
      return part === undefined ? all : `:${ports[part]}`;
    });
  config.global = {
    ...config.global,
    scrape_interval: "1s",
    scrape_timeout: "1s",
    evaluation_interval: "1s",
  };
  for (const am of config.alerting?.alertmanagers ?? []) {
    am.static_configs = [{ targets: [alertmanager] }];
  }
  for (const job of config.scrape_configs) {
    for (const s of job.static_configs ?? []) {
      s.targets = s.targets.map(rewrite);
    }
    for (const h of job.http_sd_configs ?? []) {
      h.url = rewrite(h.url);
      h.refresh_interval = "1s";
    }
  }
  return stringify(config);
}

/** The shipped rule files, keyed by the path prometheus.yml names them. */
export function shippedRuleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ruleFileNames()) {
    files[`rules/${name}`] = readFileSync(
      path.join(PROMETHEUS_DIR, "rules", name),
      "utf8",
    );
  }
  return files;
}

/** A minimal config scraping the three parts' `/metrics` on loopback. */
export function threePartsConfig(ports: FarmPorts): string {
  const job = (name: string, port: number) => ({
    job_name: name,
    static_configs: [{ targets: [`127.0.0.1:${port}`] }],
  });
  return stringify({
    global: { scrape_interval: "1s", scrape_timeout: "1s" },
    scrape_configs: [
      job("farmwatch-agent", ports.agent),
      job("farmwatch-exporter", ports.exporter),
      job("farmwatch-alerts", ports.alerts),
    ],
  });
}
