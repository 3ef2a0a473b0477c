import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { farmwatchCommand } from "../support/cli.js";

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const cwd = mkdtempSync(path.join(tmpdir(), "fw-cli-"));
  try {
    const [command, argv] = farmwatchCommand(args);
    const { stdout, stderr } = await run(command, argv, {
      cwd,
      env: { ...process.env, FARMWATCH_CONFIG: "", ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function configFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fw-cli-cfg-"));
  const file = path.join(dir, "farmwatch.yaml");
  writeFileSync(file, text);
  return file;
}

describe("farmwatch CLI", () => {
  it("prints usage with every command and exits 0 on --help", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of [
      "agent",
      "exporter",
      "alerts",
      "all",
      "sim",
      "check-config",
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    }
  });

  it("prints the package version on --version", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("exits 2 with usage on an unknown command", async () => {
    const r = await cli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it("exits 2 with usage when no command is given", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: farmwatch");
  });

  it("check-config exits 2 and lists every problem with its path", async () => {
    const file = configFile("agent:\n  intervalSeconds: -1\nnope: true\n");
    const r = await cli(["check-config", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("agent.intervalSeconds: expected number > 0");
    expect(r.stderr).toContain("nope: expected no such key");
  });

  it("check-config prints the effective config with secrets redacted", async () => {
    const file = configFile("manager:\n  url: http://127.0.0.1:18080\n");
    const r = await cli(["check-config", "--config", file], {
      FARMWATCH_TELEGRAM_TOKEN: "123456:SECRET-TOKEN",
    });
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as {
      manager: { url: string };
      alerts: { telegram: { token: string } };
    };
    expect(shown.manager.url).toBe("http://127.0.0.1:18080");
    expect(shown.alerts.telegram.token).toBe("[redacted]");
    expect(r.stdout + r.stderr).not.toContain("SECRET-TOKEN");
  });

  it("exits 2 on a bad numeric flag", async () => {
    const r = await cli(["check-config", "--workers", "many"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--workers expects a number, got many");
  });
});
