import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { PROMETHEUS_DIR } from "../rules/rule-files.js";
import {
  collectOutput,
  freePort,
  stopProcess,
  waitFor,
} from "../support/prometheus.js";

/** Debian's Alertmanager binary. */
const ALERTMANAGER_BIN = "prometheus-alertmanager";

/** Every outside address of the example, pointed at a closed port. */
const NOWHERE = "127.0.0.1:9";

interface AmConfig {
  global: Record<string, unknown>;
  route: Record<string, unknown>;
  receivers: {
    name: string;
    webhook_configs?: { url: string }[];
    telegram_configs?: { api_url?: string }[];
  }[];
}

/** An Alertmanager started by {@link startAlertmanager}. */
export interface RunningAlertmanager {
  /** `host:port`, as Prometheus' alerting config names it. */
  address: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * The shipped `prometheus/alertmanager.yml`, changed only where a test
 * must: farmwatch's webhook on the test's alerts port, Telegram's API and
 * the SMTP server on a closed loopback port (nothing leaves the machine),
 * no password file, and grouping waits of a second.
 */
export async function shippedAlertmanagerConfig(
  alertsPort: number,
): Promise<string> {
  const text = await readFile(
    path.join(PROMETHEUS_DIR, "alertmanager.yml"),
    "utf8",
  );
  const config = parse(text) as AmConfig;
  delete config.global.smtp_auth_password_file;
  delete config.global.smtp_auth_username;
  config.global.smtp_smarthost = NOWHERE;
  config.global.telegram_api_url = `http://${NOWHERE}`;
  const fast = { group_wait: "1s", group_interval: "1s" };
  config.route = { ...config.route, ...fast };
  const routes = (config.route.routes ?? []) as Record<string, unknown>[];
  config.route.routes = routes.map((r) => ({ ...r, ...fast }));
  for (const r of config.receivers) {
    for (const w of r.webhook_configs ?? []) {
      w.url = w.url.replace(":9792/", `:${alertsPort}/`);
    }
    for (const t of r.telegram_configs ?? []) t.api_url = `http://${NOWHERE}`;
  }
  return stringify(config);
}

/**
 * Starts Alertmanager on 127.0.0.1 at a free port with clustering off
 * (its default gossips on every interface), a temp storage dir and the
 * given config; resolves once `/-/ready` answers.
 */
export async function startAlertmanager(
  config: string,
): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(path.join(tmpdir(), "fw-am-"));
  await writeFile(path.join(dir, "alertmanager.yml"), config);
  const port = await freePort();
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${path.join(dir, "alertmanager.yml")}`,
      `--storage.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = collectOutput(child);
  const stop = async () => {
    await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      "alertmanager ready",
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`exited with code ${child.exitCode}`);
        }
        const res = await fetch(`http://127.0.0.1:${port}/-/ready`);
        return res.ok ? true : undefined;
      },
      60_000,
      200,
    );
  } catch (err) {
    await stop();
    throw new Error(`start alertmanager: ${String(err)}\n${output()}`);
  }
  return { address: `127.0.0.1:${port}`, log: output, stop };
}
