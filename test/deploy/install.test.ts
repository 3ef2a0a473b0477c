import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/args.js";
import { main } from "../../src/cli/main.js";
import { runInstall, runUninstall } from "../../src/deploy/install.js";
import { parseConfigText } from "../../src/shared/config/load.js";
import { ConfigSchema } from "../../src/shared/config/schema.js";
import {
  args,
  captureOutput,
  fakeHost,
  type FakeHost,
} from "./install-helpers.js";

const URL_FLAG = "--manager-url http://127.0.0.1:8080";
const UNITS = "/etc/systemd/system";
const CONFIG = "/etc/farmwatch/farmwatch.yaml";

let root: string;
let host: FakeHost;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "fw-root-"));
  host = fakeHost();
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  host.dispose();
});

/** Runs `farmwatch <line>` against the fake host. */
async function cli(line: string, h: FakeHost = host) {
  const out = captureOutput();
  const parsed = args(line);
  const run = parsed.command === "install" ? runInstall : runUninstall;
  const code = await run(parsed, out, h);
  return { code, text: out.text() };
}

function tree(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
  } catch {
    return [];
  }
}

const read = (base: string, p: string) =>
  readFileSync(path.join(base, p), "utf8");

describe("install --dry-run", () => {
  it("under --root lists every step and writes nothing", async () => {
    const { code, text } = await cli(
      `install all --root ${root} ${URL_FLAG} --mount /mnt/render --dry-run`,
    );
    expect(code).toBe(0);
    expect(tree(root)).toEqual([]);
    const wants = `${UNITS}/multi-user.target.wants`;
    expect(text.split("\n").filter((l) => l.startsWith("  would"))).toEqual([
      "  would    write /etc/sysusers.d/farmwatch.conf",
      `  would    write ${CONFIG}`,
      `  would    run chown root:farmwatch ${CONFIG}`,
      `  would    write ${UNITS}/farmwatch-agent.service`,
      `  would    write ${UNITS}/farmwatch-agent.service.d/10-mounts.conf`,
      `  would    write ${UNITS}/farmwatch-exporter.service`,
      `  would    write ${UNITS}/farmwatch-alerts.service`,
      "  would    run systemctl daemon-reload",
      ...["agent", "exporter", "alerts"].map(
        (r) =>
          `  would    link ${wants}/farmwatch-${r}.service -> ` +
          `${UNITS}/farmwatch-${r}.service`,
      ),
    ]);
  });

  it("on a live system names every command and runs only queries", async () => {
    const { code, text } = await cli(`install agent ${URL_FLAG} --dry-run`);
    expect(code).toBe(0);
    expect(tree(host.fsRoot)).toEqual([]);
    expect(text).toContain("  would    run useradd --system --user-group");
    expect(text).toContain("  would    run systemctl daemon-reload");
    expect(text).toContain(
      "  would    run systemctl enable --now farmwatch-agent.service",
    );
    for (const cmd of host.commands) {
      expect(cmd).toMatch(/^(getent passwd|systemctl is-(enabled|active)) /);
    }
  });
});

describe("install into a root directory", () => {
  const line = `install all --root ROOT ${URL_FLAG} --mount /mnt/render`;
  const install = () => cli(line.replace("ROOT", root));

  it("writes each unit starting the package with this Node.js", async () => {
    expect((await install()).code).toBe(0);
    const unit = read(root, `${UNITS}/farmwatch-alerts.service`);
    expect(unit).toMatch(
      new RegExp(
        `^ExecStart=${process.execPath} /\\S+/bin/farmwatch\\.js alerts ` +
          `--config ${CONFIG}$`,
        "m",
      ),
    );
  });

  it("writes a valid config with the Manager, the share and state dir", async () => {
    await install();
    const text = read(root, CONFIG);
    const config = ConfigSchema.parse(parseConfigText(text, CONFIG));
    expect(config.manager.url).toBe("http://127.0.0.1:8080");
    expect(config.agent.mounts).toEqual(["/mnt/render"]);
    expect(config.alerts.stateDir).toBe("/var/lib/farmwatch");
    expect(config.agent.mountProbe.canaryWriteEnabled).toBe(true);
    expect(statSync(path.join(root, CONFIG)).mode & 0o777).toBe(0o640);
  });

  it("opens the configured share to the agent in a drop-in", async () => {
    await install();
    expect(
      read(root, `${UNITS}/farmwatch-agent.service.d/10-mounts.conf`),
    ).toContain("ReadWritePaths=-/mnt/render\n");
  });

  it("enables each unit with the link systemctl enable makes", async () => {
    await install();
    const link = `${UNITS}/multi-user.target.wants/farmwatch-exporter.service`;
    expect(readlinkSync(path.join(root, link))).toBe(
      `${UNITS}/farmwatch-exporter.service`,
    );
  });

  it("declares the service user for systemd-sysusers", async () => {
    await install();
    expect(read(root, "/etc/sysusers.d/farmwatch.conf")).toMatch(
      /^u farmwatch - /,
    );
  });

  it("declares the uid from --uid for systemd-sysusers", async () => {
    await cli(`install agent --root ${root} ${URL_FLAG} --uid 990`);
    expect(read(root, "/etc/sysusers.d/farmwatch.conf")).toMatch(
      /^u farmwatch 990 /,
    );
  });

  it("changes nothing on a second run and says so", async () => {
    await install();
    const before = tree(root).map((f) => [
      f,
      lstatSync(path.join(root, f)).mtimeMs,
    ]);
    const { code, text } = await install();
    expect(code).toBe(0);
    expect(text).toMatch(/^nothing to change: /m);
    expect(text).not.toMatch(/^ {2}(done|would|skipped)/m);
    const after = tree(root).map((f) => [
      f,
      lstatSync(path.join(root, f)).mtimeMs,
    ]);
    expect(after).toEqual(before);
  });

  it("keeps an existing config as it is", async () => {
    mkdirSync(path.join(root, "/etc/farmwatch"), { recursive: true });
    const mine = "manager:\n  url: http://127.0.0.2:8080\n";
    writeFileSync(path.join(root, CONFIG), mine);
    await cli(`install agent --root ${root}`);
    expect(read(root, CONFIG)).toBe(mine);
  });

  it("puts back a unit file that was edited", async () => {
    await install();
    const file = path.join(root, `${UNITS}/farmwatch-agent.service`);
    const shipped = readFileSync(file, "utf8");
    writeFileSync(file, shipped.replace("Restart=on-failure", "Restart=no"));
    const { text } = await install();
    expect(text).toContain(`  done     write ${UNITS}/farmwatch-agent.service`);
    expect(readFileSync(file, "utf8")).toBe(shipped);
  });

  it("opens a share added to agent.mounts on the next run", async () => {
    await install();
    const file = path.join(root, CONFIG);
    const text = readFileSync(file, "utf8");
    writeFileSync(
      file,
      text.replace("- /mnt/render", "- /mnt/render\n    - /mnt/cache"),
    );
    await cli(`install agent --root ${root}`);
    expect(
      read(root, `${UNITS}/farmwatch-agent.service.d/10-mounts.conf`),
    ).toContain("ReadWritePaths=-/mnt/render\nReadWritePaths=-/mnt/cache\n");
  });

  it("says a --mount is not used when the config exists", async () => {
    await install();
    const { text } = await cli(
      `install agent --root ${root} --mount /mnt/cache`,
    );
    expect(text).toContain("--mount /mnt/cache not used: the config exists");
  });

  it("opens no share when the agent's write canary is off", async () => {
    mkdirSync(path.join(root, "/etc/farmwatch"), { recursive: true });
    writeFileSync(path.join(root, CONFIG), "agent:\n  mounts: [/mnt/render]\n");
    await cli(`install agent --root ${root}`);
    expect(tree(path.join(root, `${UNITS}/farmwatch-agent.service.d`))).toEqual(
      [],
    );
  });

  it("fails on an invalid existing config and names it", async () => {
    mkdirSync(path.join(root, "/etc/farmwatch"), { recursive: true });
    writeFileSync(path.join(root, CONFIG), "agent:\n  mountz: []\n");
    const { code, text } = await cli(`install agent --root ${root}`);
    expect(code).toBe(1);
    expect(text).toContain("existing config: invalid configuration in");
    expect(text).toContain("agent.mountz");
  });
});

describe("install on a live system", () => {
  it("creates the user, writes config and units, enables and starts", async () => {
    const { code } = await cli(`install exporter ${URL_FLAG}`);
    expect(code).toBe(0);
    expect(host.commands.filter((c) => !/ is-|^getent/.test(c))).toEqual([
      "useradd --system --user-group --no-create-home --home-dir " +
        "/nonexistent --shell /usr/sbin/nologin farmwatch",
      `chown root:farmwatch ${CONFIG}`,
      "systemctl daemon-reload",
      "systemctl enable --now farmwatch-exporter.service",
    ]);
    expect(tree(path.join(host.fsRoot, UNITS))).toEqual([
      "farmwatch-exporter.service",
    ]);
  });

  it("runs nothing that changes the system on a second run", async () => {
    await cli(`install all ${URL_FLAG}`);
    host.commands.length = 0;
    const { code, text } = await cli("install all");
    expect(code).toBe(0);
    expect(text).toMatch(/^nothing to change: /m);
    expect(host.commands.filter((c) => !/ is-|^getent/.test(c))).toEqual([]);
  });

  it("restarts a running unit whose file changed", async () => {
    await cli(`install agent ${URL_FLAG}`);
    const file = path.join(host.fsRoot, `${UNITS}/farmwatch-agent.service`);
    writeFileSync(file, "[Unit]\n");
    host.commands.length = 0;
    await cli("install agent");
    expect(host.commands).toContain("systemctl daemon-reload");
    expect(host.commands).toContain(
      "systemctl restart farmwatch-agent.service",
    );
  });

  it("gives the service user the uid from --uid", async () => {
    await cli(`install agent ${URL_FLAG} --uid 990`);
    expect(host.commands).toContain(
      "useradd --system --user-group --no-create-home --home-dir " +
        "/nonexistent --shell /usr/sbin/nologin --uid 990 farmwatch",
    );
  });

  it("refuses politely where systemd is not running", async () => {
    const bare = fakeHost({ systemd: false });
    try {
      const { code, text } = await cli(`install agent ${URL_FLAG}`, bare);
      expect(code).toBe(1);
      expect(text).toMatch(
        /^farmwatch install: this machine does not run systemd/,
      );
      expect(text).toContain("--root DIR");
      expect(bare.commands).toEqual([]);
      expect(tree(bare.fsRoot)).toEqual([]);
    } finally {
      bare.dispose();
    }
  });

  it("refuses to change the system without root", async () => {
    const { code, text } = await cli(`install agent ${URL_FLAG}`, {
      ...host,
      isSuperuser: false,
    });
    expect(code).toBe(1);
    expect(text).toContain("needs root: run `sudo farmwatch install ...`");
  });

  it("refuses a Node.js under /home, which ProtectHome hides", async () => {
    const { code, text } = await cli(
      `install agent ${URL_FLAG} --node /home/ann/.nvm/bin/node`,
    );
    expect(code).toBe(1);
    expect(text).toContain("ProtectHome=yes");
    expect(tree(host.fsRoot)).toEqual([]);
  });

  it("stops at a failing command and names it", async () => {
    const failing = fakeHost({ failOn: "systemctl daemon-reload" });
    try {
      const { code, text } = await cli(`install agent ${URL_FLAG}`, failing);
      expect(code).toBe(1);
      expect(text).toContain("  FAILED   run systemctl daemon-reload");
      expect(text).toContain(
        "run systemctl daemon-reload: exit 1: Failed: boom",
      );
      expect(failing.commands.some((c) => c.includes(" enable "))).toBe(false);
    } finally {
      failing.dispose();
    }
  });
});

describe("uninstall", () => {
  beforeEach(async () => {
    await cli(`install all --root ${root} ${URL_FLAG} --mount /mnt/render`);
  });

  it("removes units and links and keeps the config", async () => {
    const { code, text } = await cli(`uninstall --root ${root}`);
    expect(code).toBe(0);
    expect(
      tree(path.join(root, UNITS)).filter((f) => f.endsWith(".service")),
    ).toEqual([]);
    expect(read(root, CONFIG)).toContain("http://127.0.0.1:8080");
    expect(text).toContain(`config ${CONFIG} kept (--purge removes it)`);
  });

  it("with --purge also removes config, state and the user", async () => {
    mkdirSync(path.join(root, "/var/lib/farmwatch"), { recursive: true });
    await cli(`uninstall --root ${root} --purge`);
    expect(tree(path.join(root, "etc/farmwatch"))).toEqual([]);
    expect(tree(path.join(root, "etc/sysusers.d"))).toEqual([]);
    expect(tree(path.join(root, "var/lib"))).toEqual([]);
  });

  it("with --purge keeps the config while another unit uses it", async () => {
    const { text } = await cli(`uninstall agent --root ${root} --purge`);
    expect(read(root, CONFIG)).toContain("http://127.0.0.1:8080");
    expect(text).toContain("still used by farmwatch-exporter.service");
  });

  it("changes nothing on a second run", async () => {
    await cli(`uninstall --root ${root}`);
    const { text } = await cli(`uninstall --root ${root}`);
    expect(text).toMatch(/^nothing to change: /m);
  });

  it("on a live system disables and stops, then reloads", async () => {
    await cli(`install agent ${URL_FLAG}`);
    host.commands.length = 0;
    await cli("uninstall agent");
    expect(host.commands.filter((c) => !/ is-|^getent/.test(c))).toEqual([
      "systemctl disable --now farmwatch-agent.service",
      "systemctl daemon-reload",
    ]);
  });
});

describe("install command line", () => {
  it("rejects an unknown role as usage", async () => {
    await expect(cli(`install agnet --root ${root}`)).rejects.toThrow(
      UsageError,
    );
  });

  it("needs --manager-url when there is no config yet", async () => {
    await expect(cli(`install agent --root ${root}`)).rejects.toThrow(
      /--manager-url is needed/,
    );
  });

  it("exits 2 on usage errors", async () => {
    const code = await main(["install", "--root", root, "--bogus"]);
    expect(code).toBe(2);
  });
});
