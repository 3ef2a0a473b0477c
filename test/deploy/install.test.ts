import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/args.js";
import { main } from "../../src/cli/main.js";
import { farmwatchCommand } from "../support/cli.js";
import { parseConfigText } from "../../src/shared/config/load.js";
import { ConfigSchema } from "../../src/shared/config/schema.js";
import {
  cli as runCli,
  CONFIG,
  fakeHost,
  read,
  tree,
  UNITS,
  URL_FLAG,
  type FakeHost,
} from "./install-helpers.js";

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
const cli = (line: string, h: FakeHost = host) => runCli(line, h);

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

describe("install command line", () => {
  it("installs through the farmwatch CLI into a root, exit 0", async () => {
    const { spawnSync } = await import("node:child_process");
    const [cmd, argv] = farmwatchCommand(
      `install agent --root ${root} ${URL_FLAG}`.split(" "),
    );
    const first = spawnSync(cmd, argv, { encoding: "utf8" });
    expect(first.status).toBe(0);
    const second = spawnSync(cmd, argv, { encoding: "utf8" });
    expect(second.stdout).toMatch(/^nothing to change: /m);
    expect(second.status).toBe(0);
  });

  it("rejects an unknown role as usage", async () => {
    await expect(cli(`install agnet --root ${root}`)).rejects.toThrow(
      UsageError,
    );
  });

  it("takes the role after --dry-run as a role", async () => {
    const { code, text } = await cli(
      `install --root ${root} ${URL_FLAG} --dry-run agent`,
    );
    expect(code).toBe(0);
    expect(text).toMatch(/^install farmwatch-agent\.service under /);
    expect(text).toContain("dry run: nothing is changed");
  });

  it("rejects a --manager-url that is not an http URL", async () => {
    await expect(
      cli(`install agent --root ${root} --manager-url manager:8080`),
    ).rejects.toThrow("--manager-url expects http://host:port");
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
