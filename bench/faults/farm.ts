import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  FAKE_BOT_TOKEN,
  startFakeBotApi,
  type FakeBotApi,
} from "../../test/support/fake-bot-api.js";
import { writeFakeTools, type FakeTools } from "./fakes.js";
import {
  farmConfig,
  STATE_FS_SIZE,
  type FarmLayout,
  type PartName,
} from "./farm-config.js";
import { mountTmpfs, unmount } from "./host.js";
import { releaseFuse } from "./node-faults.js";
import { request, waitFor, type Got } from "./http.js";
import { DownableProxy } from "./proxy.js";
import { freePort, startPart, stopPart, type PartProcess } from "./proc.js";
import { SmtpInbox } from "./smtp.js";

export {
  ALERT_CHAT_ID,
  SIM_SPEED,
  STATE_FS_SIZE,
  type FarmLayout,
  type PartName,
} from "./farm-config.js";

/** The demo farm under test: processes, fakes and what they received. */
export class FaultFarm {
  readonly parts = new Map<PartName, PartProcess>();
  readonly smtp = new SmtpInbox();
  bot!: FakeBotApi;
  /** What the alerts part sees as the Bot API: a proxy that can go down. */
  botProxy!: DownableProxy;
  fakes!: FakeTools;
  layout!: FarmLayout;
  /** Whether tmpfs mounts could be made (root); mount faults need it. */
  canMount = false;
  private config: Record<string, unknown> = {};

  url(part: PartName): string {
    return `http://127.0.0.1:${this.layout.ports[part]}`;
  }

  /** GET or POST on a part, e.g. `get("sim", "/sim/state")`. */
  call(part: PartName, route: string, body?: unknown): Promise<Got> {
    return request(`${this.url(part)}${route}`, { body });
  }

  /** Sets up directories, fakes, mounts and the config file. */
  async prepare(): Promise<void> {
    const root = mkdtempSync(path.join(os.tmpdir(), "farmwatch-faults-"));
    const ports = {
      sim: await freePort(),
      exporter: await freePort(),
      agent: await freePort(),
      alerts: await freePort(),
    };
    this.layout = {
      root,
      mount: path.join(root, "share", "hang"),
      stateDir: path.join(root, "state"),
      configFile: path.join(root, "farmwatch.yaml"),
      ports,
      nodeName: "pending",
    };
    for (const d of [this.layout.mount, this.layout.stateDir, `${root}/bin`]) {
      mkdirSync(d, { recursive: true });
    }
    writeFileSync(path.join(root, "fstab"), "");
    this.canMount =
      mountTmpfs(this.layout.mount, "1m") &&
      mountTmpfs(this.layout.stateDir, STATE_FS_SIZE);
    this.fakes = writeFakeTools(`${root}/bin`);
    this.bot = await startFakeBotApi();
    this.botProxy = new DownableProxy(Number(new URL(this.bot.url).port));
    await this.botProxy.up();
    await this.smtp.listen();
  }

  /** Writes the config file with `change` applied to a fresh copy. */
  writeConfig(change?: (c: Record<string, unknown>) => void): string {
    const botApi = `http://127.0.0.1:${this.botProxy.port}`;
    const c = farmConfig(this.layout, this.fakes, botApi, this.smtp.port);
    change?.(c);
    this.config = c;
    writeFileSync(this.layout.configFile, JSON.stringify(c, null, 2));
    return this.layout.configFile;
  }

  /** The config object last written. */
  configObject(): Record<string, unknown> {
    return this.config;
  }

  /** Starts one part from the current config file and waits for /healthz. */
  async start(part: PartName): Promise<void> {
    const proc = startPart(part, [part, "--config", this.layout.configFile], {
      FARMWATCH_TELEGRAM_TOKEN: FAKE_BOT_TOKEN,
    });
    this.parts.set(part, proc);
    const up = await waitFor(async () => {
      if (proc.exit) return false;
      const h = await this.call(part, "/healthz");
      return h.status > 0 ? true : undefined;
    }, 30_000);
    if (up !== true) {
      throw new Error(`${part} did not start:\n${proc.tail()}`);
    }
  }

  /** Starts the simulator, names the agent after a worker, starts the rest. */
  async startAll(): Promise<void> {
    this.writeConfig();
    await this.start("sim");
    const workers = await this.call("sim", "/api/v3/worker-mgt/workers");
    const list = (workers.json as { workers?: { name: string }[] }).workers;
    this.layout.nodeName = list?.[0]?.name ?? "fault-node";
    this.writeConfig();
    await this.start("exporter");
    await this.start("agent");
    await this.start("alerts");
  }

  /** Stops every part, the fakes, and removes mounts and temp dirs. */
  async close(): Promise<void> {
    for (const p of [...this.parts.values()].reverse()) await stopPart(p);
    await this.botProxy?.down();
    await this.bot?.close();
    await this.smtp.close().catch(() => undefined);
    if (this.layout === undefined) return;
    releaseFuse();
    // Stacked mounts (a FUSE over the tmpfs) need one unmount each.
    for (let i = 0; i < 3; i++) unmount(this.layout.mount);
    for (let i = 0; i < 3; i++) unmount(this.layout.stateDir);
    rmSync(this.layout.root, { recursive: true, force: true });
  }
}
