import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROMETHEUS_DIR, REPO_ROOT, ruleFileNames } from "./rule-files.js";

const RULE_TESTS_DIR = path.join(REPO_ROOT, "test", "rules");

interface ToolResult {
  code: number;
  output: string;
}

/** Runs a tool to completion; never rejects, the caller asserts. */
function run(cmd: string, args: string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code =
        err === null ? 0 : typeof err.code === "number" ? err.code : -1;
      const output = `$ ${cmd} ${args.join(" ")}\n${stdout}${stderr}`;
      resolve({ code, output: err && code === -1 ? output + err : output });
    });
  });
}

/** Asserts exit code 0; on failure the tool's own output is the message. */
function expectSuccess(result: ToolResult): void {
  expect(result.code, result.output).toBe(0);
}

describe("prometheus/ with promtool and amtool", () => {
  it("passes promtool check config", async () => {
    expectSuccess(
      await run(
        "promtool",
        ["check", "config", "prometheus.yml"],
        PROMETHEUS_DIR,
      ),
    );
  });

  it("passes promtool check rules for every rule file", async () => {
    const files = ruleFileNames().map((f) => path.join("rules", f));
    expect(files.length).toBeGreaterThan(0);
    expectSuccess(
      await run("promtool", ["check", "rules", ...files], PROMETHEUS_DIR),
    );
  });

  it("passes promtool test rules for every test file", async () => {
    const files = readdirSync(RULE_TESTS_DIR).filter((f) =>
      f.endsWith(".test.yml"),
    );
    expect(files.length).toBeGreaterThan(0);
    expectSuccess(
      await run("promtool", ["test", "rules", ...files], RULE_TESTS_DIR),
    );
  });

  it("passes amtool check-config for the Alertmanager example", async () => {
    expectSuccess(
      await run("amtool", ["check-config", "alertmanager.yml"], PROMETHEUS_DIR),
    );
  });
});
