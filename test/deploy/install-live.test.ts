import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cli as runCli,
  CONFIG,
  fakeHost,
  tree,
  UNITS,
  URL_FLAG,
  type FakeHost,
} from "./install-helpers.js";

let host: FakeHost;
beforeEach(() => {
  host = fakeHost();
});
afterEach(() => host.dispose());

/** Runs `farmwatch <line>` against the fake host. */
const cli = (line: string, h: FakeHost = host) => runCli(line, h);

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

  it("notes a service user whose uid differs from --uid", async () => {
    host.users.set("farmwatch", 998);
    const { text } = await cli(`install agent ${URL_FLAG} --uid 990`);
    expect(text).toContain(
      "  note     user farmwatch has uid 998, not --uid 990; to change it:",
    );
    expect(host.commands.some((c) => c.startsWith("useradd"))).toBe(false);
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
