import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROLES, unitName } from "../../src/deploy/paths.js";
import {
  renderMountsDropIn,
  renderUnit,
  templateDir,
} from "../../src/deploy/units.js";
import { REPO_ROOT } from "../support/cli.js";
import { HAVE_SYSTEMD_ANALYZE, verifyUnit } from "./verify-unit.js";

// An existing executable for ExecStart: verify checks that it exists.
const EXEC = {
  node: process.execPath,
  farmwatch: path.join(REPO_ROOT, "bin", "farmwatch.js"),
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "fw-units-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeUnit(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe.skipIf(!HAVE_SYSTEMD_ANALYZE)("shipped unit files", () => {
  for (const role of ROLES) {
    it(`${unitName(role)} passes systemd-analyze verify`, async () => {
      const file = writeUnit(unitName(role), renderUnit(role, EXEC));
      const result = await verifyUnit(dir, file);
      expect(result.output).toBe("");
      expect(result.clean).toBe(true);
    });
  }

  it("the agent unit with its mounts drop-in passes verify", async () => {
    const file = writeUnit(unitName("agent"), renderUnit("agent", EXEC));
    mkdirSync(`${file}.d`);
    writeFileSync(
      path.join(`${file}.d`, "10-mounts.conf"),
      renderMountsDropIn(["/mnt/render", "/mnt/with space"]),
    );
    const result = await verifyUnit(dir, file);
    expect(result.output).toBe("");
    expect(result.clean).toBe(true);
  });

  it("verify catches a misspelt directive", async () => {
    const text = renderUnit("agent", EXEC).replace(
      "Restart=on-failure",
      "Restrat=on-failure",
    );
    const result = await verifyUnit(
      dir,
      writeUnit("farmwatch-agent.service", text),
    );
    expect(result.clean).toBe(false);
    expect(result.output).toContain("Unknown key 'Restrat'");
  });

  it("verify catches a misspelt directive in the drop-in", async () => {
    const file = writeUnit(unitName("agent"), renderUnit("agent", EXEC));
    mkdirSync(`${file}.d`);
    writeFileSync(
      path.join(`${file}.d`, "10-mounts.conf"),
      "[Service]\nReadWritePath=/mnt/render\n",
    );
    const result = await verifyUnit(dir, file);
    expect(result.clean).toBe(false);
    expect(result.output).toContain("ReadWritePath");
  });

  it("verify catches an ExecStart binary that does not exist", async () => {
    const text = renderUnit("exporter", {
      ...EXEC,
      node: path.join(dir, "no-such-node"),
    });
    const result = await verifyUnit(dir, writeUnit(unitName("exporter"), text));
    expect(result.clean).toBe(false);
    expect(result.output).toContain("no-such-node");
  });
});

describe("renderUnit", () => {
  it("fills in every placeholder", () => {
    for (const role of ROLES) {
      expect(renderUnit(role, EXEC)).not.toMatch(/@[A-Z]+@/);
    }
  });

  it("starts the role with node, the package script and the config", () => {
    const text = renderUnit("exporter", EXEC);
    expect(text).toContain(
      `ExecStart=${EXEC.node} ${EXEC.farmwatch} exporter ` +
        "--config /etc/farmwatch/farmwatch.yaml\n",
    );
  });

  it("refuses a path with whitespace, which ExecStart would split", () => {
    expect(() =>
      renderUnit("agent", { ...EXEC, node: "/opt/my node/bin/node" }),
    ).toThrow(/whitespace/);
  });
});

describe("agent unit ordering", () => {
  const agent = readFileSync(
    path.join(templateDir(), unitName("agent")),
    "utf8",
  );
  const directives = agent
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n");

  it("does not wait for remote file systems or a mount unit", () => {
    expect(directives).not.toMatch(/remote-fs\.target/);
    expect(directives).not.toMatch(/\.mount\b/);
    expect(directives).not.toMatch(/RequiresMountsFor|BindsTo/);
  });

  it("starts after the network and Tailscale without requiring them", () => {
    expect(directives).toMatch(
      /^After=network-online\.target tailscaled\.service$/m,
    );
    expect(directives).not.toMatch(/^Requires=/m);
  });
});

describe("agent unit devices", () => {
  it("leaves GPU devices reachable for nvidia-smi", () => {
    const text = renderUnit("agent", EXEC)
      .split("\n")
      .filter((l) => !l.startsWith("#"))
      .join("\n");
    expect(text).not.toMatch(
      /^(PrivateDevices|ProtectClock|DeviceAllow|DevicePolicy)=/m,
    );
  });
});

describe("mounts drop-in", () => {
  it("opens each share for writing, missing ones tolerated", () => {
    expect(renderMountsDropIn(["/mnt/render", "/mnt/cache"])).toContain(
      "ReadWritePaths=-/mnt/render\nReadWritePaths=-/mnt/cache\n",
    );
  });

  it("escapes a space in a mount path", () => {
    expect(renderMountsDropIn(["/mnt/my share"])).toContain(
      "ReadWritePaths=-/mnt/my\\x20share",
    );
  });
});
