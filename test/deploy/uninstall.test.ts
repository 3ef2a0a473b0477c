import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
