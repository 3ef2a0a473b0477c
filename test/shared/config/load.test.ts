import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/shared/errors.js";
import {
  findConfigFile,
  loadConfig,
  redactConfig,
} from "../../../src/shared/config/load.js";

function writeConfig(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fw-config-"));
  const file = path.join(dir, "farmwatch.yaml");
  writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies every default when no file exists", () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "fw-empty-"));
    const { config, file } = loadConfig({ cwd, env: {} });
    expect(file).toBeUndefined();
    expect(config.agent.listen.port).toBe(9790);
    expect(config.exporter.listen.port).toBe(9791);
    expect(config.alerts.listen.port).toBe(9792);
    expect(config.sim.listen.port).toBe(18080);
    expect(config.manager.url).toBeUndefined();
  });

  it("rejects an unknown key with its path", () => {
    const file = writeConfig("agent:\n  intervalSecs: 5\n");
    const problems = problemsOf(() =>
      loadConfig({ configFlag: file, env: {} }),
    );
    expect(problems).toEqual([
      {
        path: "agent.intervalSecs",
        expected: "no such key (unknown keys are rejected)",
        received: "unknown key",
      },
    ]);
  });

  it("names what was expected and what arrived for a wrong type", () => {
    const file = writeConfig("exporter:\n  pollIntervalSeconds: soon\n");
    const problems = problemsOf(() =>
      loadConfig({ configFlag: file, env: {} }),
    );
    expect(problems).toEqual([
      {
        path: "exporter.pollIntervalSeconds",
        expected: "number",
        received: 'string "soon"',
      },
    ]);
  });

  it("reports several problems at once", () => {
    const file = writeConfig(
      "bogus: 1\nagent:\n  mounts: [3]\nmanager:\n  url: ftp://x\n",
    );
    const problems = problemsOf(() =>
      loadConfig({ configFlag: file, env: {} }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      "agent.mounts.0",
      "bogus",
      "manager.url",
    ]);
  });

  it("reports a YAML syntax error with its line and column", () => {
    const file = writeConfig("agent: [unclosed\n");
    let message = "";
    const problems = problemsOf(() => {
      try {
        loadConfig({ configFlag: file, env: {} });
      } catch (err) {
        message = (err as Error).message;
        throw err;
      }
    });
    expect(problems[0]).toMatchObject({
      path: "line 2, column 1",
      expected: "valid YAML",
    });
    expect(message).toContain("line 2, column 1: expected valid YAML, got");
  });

  it("fails on an explicitly named file that does not exist", () => {
    const problems = problemsOf(() =>
      loadConfig({ configFlag: "/nonexistent/fw.yaml", env: {} }),
    );
    expect(problems[0]).toMatchObject({ path: "(file)", received: "ENOENT" });
  });

  it("finds the file from --config, then FARMWATCH_CONFIG, then ./farmwatch.yaml", () => {
    const implicit = writeConfig("{}\n");
    const cwd = path.dirname(implicit);
    expect(findConfigFile({ cwd, env: {} })).toBe(implicit);
    expect(findConfigFile({ cwd, env: { FARMWATCH_CONFIG: "/e.yaml" } })).toBe(
      "/e.yaml",
    );
    expect(
      findConfigFile({
        cwd,
        configFlag: "/f.yaml",
        env: { FARMWATCH_CONFIG: "/e.yaml" },
      }),
    ).toBe("/f.yaml");
  });

  it("returns a deeply frozen config", () => {
    const file = writeConfig("agent:\n  mounts: [/mnt/render]\n");
    const { config } = loadConfig({ configFlag: file, env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.agent.mounts)).toBe(true);
  });
});

describe("secrets", () => {
  it("takes the Telegram token from the environment over the file", () => {
    const file = writeConfig("alerts:\n  telegram:\n    token: from-file\n");
    const { config } = loadConfig({
      configFlag: file,
      env: { FARMWATCH_TELEGRAM_TOKEN: "from-env" },
    });
    expect(config.alerts.telegram.token).toBe("from-env");
  });

  it("reads the SMTP password from the file named by *_FILE", () => {
    const secret = writeConfig("s3cret-pass\n");
    const cwd = mkdtempSync(path.join(tmpdir(), "fw-empty-"));
    const { config } = loadConfig({
      cwd,
      env: { FARMWATCH_SMTP_PASSWORD_FILE: secret },
    });
    expect(config.alerts.email.smtp.password).toBe("s3cret-pass");
  });

  it("never quotes the file's text in a YAML syntax error", () => {
    const file = writeConfig('alerts: {telegram: {}}\n]\n"123:SECRET"\n');
    try {
      loadConfig({ configFlag: file, env: {} });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/line \d+, column \d+/);
      expect((err as Error).message).not.toContain("SECRET");
    }
  });

  it("never prints a secret, neither redacted config nor error text", () => {
    const file = writeConfig("alerts:\n  telegram:\n    token: 12345:SECRET\n");
    const { config } = loadConfig({ configFlag: file, env: {} });
    expect(JSON.stringify(redactConfig(config))).not.toContain("SECRET");

    const bad = writeConfig("alerts:\n  telegram:\n    token: 42\n");
    try {
      loadConfig({ configFlag: bad, env: {} });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain("42");
      expect((err as ConfigError).problems[0]?.received).toBe("[redacted]");
    }
  });
});
