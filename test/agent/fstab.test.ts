import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseFstab } from "../../src/agent/fstab.js";
import { FIXTURES } from "./helpers.js";

const entries = parseFstab(
  readFileSync(path.join(FIXTURES, "etc", "fstab"), "utf8"),
);

describe("parseFstab", () => {
  it("skips comments and reads every entry", () => {
    expect(entries.map((e) => e.mountpoint)).toEqual([
      "/",
      "/mnt/render",
      "/mnt/assets",
      "/mnt/archive",
      "/mnt/manual",
    ]);
  });

  it("marks x-systemd.automount entries as automounts", () => {
    const assets = entries.find((e) => e.mountpoint === "/mnt/assets")!;
    expect(assets).toMatchObject({ automount: true, manual: false });
  });

  it("marks noauto without automount as mounted by hand", () => {
    const manual = entries.find((e) => e.mountpoint === "/mnt/manual")!;
    expect(manual).toMatchObject({ automount: false, manual: true });
  });
});
