import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { farmwatchCommand } from "../support/cli.js";

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

function simConfig(workers: number): string {
  return [
    "sim:",
    "  listen: {host: 127.0.0.1, port: 0}",
    `  workers: ${workers}`,
    "  jobs: 1",
  ].join("\n");
}

/** Starts `farmwatch sim` and collects its log lines. */
function startSim(file: string) {
  const [cmd, argv] = farmwatchCommand(["sim", "--config", file]);
  child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
  const lines: { msg?: string; url?: string }[] = [];
  let rest = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split("\n");
    rest = parts.pop()!;
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as { msg?: string; url?: string });
      } catch {
        // Not a log line (a Node warning): not what these tests read.
      }
    }
  });
  return lines;
}

async function until<T>(f: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited 20 s for ${what}`);
}

function listening(lines: { msg?: string; url?: string }[], n: number) {
  const urls = lines.filter((l) => l.msg === "part listening");
  return urls.length >= n ? urls[n - 1]!.url : undefined;
}

async function workerCount(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v3/worker-mgt/workers`);
  return ((await res.json()) as { workers: unknown[] }).workers.length;
}

describe("config reload on SIGHUP", () => {
  it("refuses an invalid config and keeps the parts running", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fw-reload-"));
    const file = path.join(dir, "farmwatch.yaml");
    writeFileSync(file, simConfig(2));
    const lines = startSim(file);
    const url = await until(() => listening(lines, 1), "the sim to listen");

    writeFileSync(file, "sim:\n  workers: many\n");
    child!.kill("SIGHUP");
    await until(
      () => lines.find((l) => l.msg?.startsWith("config reload refused")),
      "the reload to be refused",
    );
    expect(await workerCount(url)).toBe(2);
  });

  it("restarts the parts with a changed valid config", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fw-reload-"));
    const file = path.join(dir, "farmwatch.yaml");
    writeFileSync(file, simConfig(2));
    const lines = startSim(file);
    await until(() => listening(lines, 1), "the sim to listen");

    writeFileSync(file, simConfig(5));
    child!.kill("SIGHUP");
    const url = await until(() => listening(lines, 2), "the sim to restart");
    expect(await workerCount(url)).toBe(5);
  });
});
