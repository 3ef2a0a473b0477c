import { spawn, type ChildProcess } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { farmwatchCommand } from "../support/cli.js";
import { startFakeBotApi, type FakeBotApi } from "../support/fake-bot-api.js";
import { farm, job, tempDir } from "./fixtures.js";

const CHAT = 777;
let child: ChildProcess | undefined;
let exporter: Server | undefined;
let fake: FakeBotApi | undefined;
let tmp: Awaited<ReturnType<typeof tempDir>> | undefined;

afterEach(async () => {
  child?.kill("SIGKILL");
  await new Promise((r) => exporter?.close(r) ?? r(undefined));
  await fake?.close();
  await tmp?.cleanup();
  child = exporter = fake = tmp = undefined;
});

async function startExporter(): Promise<string> {
  const view = farm({
    jobs: [job({ id: "job-7", name: "shot_077", status: "failed" })],
  });
  exporter = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.url === "/api/v1/farm" ? view : []));
  });
  await new Promise<void>((r) => exporter!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(exporter.address() as AddressInfo).port}`;
}

function startAlerts(configPath: string): ChildProcess {
  const [cmd, args] = farmwatchCommand(["alerts", "--config", configPath]);
  const c = spawn(cmd, args, { stdio: "ignore" });
  child = c;
  return c;
}

async function killHard(c: ChildProcess): Promise<void> {
  const gone = new Promise((r) => c.once("exit", r));
  c.kill("SIGKILL");
  await gone;
}

async function until(check: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function queueLength(dir: string): Promise<number> {
  try {
    const s = JSON.parse(
      await readFile(join(dir, "alerts-state.json"), "utf8"),
    );
    return (s.queue as { channel: string }[]).filter(
      (e) => e.channel === "telegram",
    ).length;
  } catch {
    return -1;
  }
}

describe("alerts process killed with SIGKILL", () => {
  it("delivers a message caught mid-delivery exactly once after restart, and never again", async () => {
    tmp = await tempDir();
    fake = await startFakeBotApi();
    const exporterUrl = await startExporter();
    const configPath = join(tmp.dir, "farmwatch.yaml");
    await writeFile(
      configPath,
      JSON.stringify({
        log: { level: "warn" },
        manager: { url: "http://127.0.0.1:1" },
        alerts: {
          listen: { host: "127.0.0.1", port: 0 },
          exporterUrl,
          evaluateIntervalSeconds: 0.5,
          stateDir: join(tmp.dir, "state"),
          telegram: {
            token: fake.token,
            apiRoot: fake.url,
            chatIds: [CHAT],
            requestTimeoutSeconds: 30,
          },
          bot: { enabled: false },
        },
      }),
    );
    fake.failNext({ kind: "hang", chatId: CHAT });
    const first = startAlerts(configPath);
    await fake.waitForCall("sendMessage", { timeoutMs: 30_000 });
    await killHard(first);
    expect(fake.botMessages(CHAT)).toHaveLength(0);

    const second = startAlerts(configPath);
    await until(() => fake!.botMessages(CHAT).length > 0, "redelivery");
    await until(
      async () => (await queueLength(join(tmp!.dir, "state"))) === 0,
      "ack on disk",
    );
    await killHard(second);

    const statePath = join(tmp.dir, "state", "alerts-state.json");
    const before = (await stat(statePath)).mtimeMs;
    const third = startAlerts(configPath);
    let saves = 0;
    let last = before;
    await until(async () => {
      const m = (await stat(statePath)).mtimeMs;
      if (m !== last) {
        saves += 1;
        last = m;
      }
      return saves >= 3;
    }, "three evaluations after the second restart");
    await killHard(third);
    const msgs = fake.botMessages(CHAT);
    expect(msgs.map((m) => m.text.includes("shot_077"))).toEqual([true]);
  }, 60_000);
});
