import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  isTailnetAddress,
  parseMountinfo,
  serverAddress,
} from "../../src/agent/mountinfo.js";
import { FIXTURES } from "./helpers.js";

const text = readFileSync(
  path.join(FIXTURES, "proc", "self", "mountinfo"),
  "utf8",
);

describe("parseMountinfo", () => {
  it("reads type, source and super options after the separator", () => {
    const render = parseMountinfo(text).find(
      (m) => m.mountpoint === "/mnt/render",
    )!;
    expect(render.fstype).toBe("nfs4");
    expect(render.source).toBe("nas01:/export/render");
    expect(render.superOptions).toContain("vers=4.2");
    expect(render.superOptions).toContain("hard");
    expect(render.mountOptions).toEqual(["rw", "relatime"]);
  });

  it("undoes octal escapes in mount points", () => {
    const points = parseMountinfo(text).map((m) => m.mountpoint);
    expect(points).toContain("/mnt/with space");
  });

  it("skips lines without the separator", () => {
    expect(parseMountinfo("garbage line\n\n")).toEqual([]);
  });

  it("finds the server address of a network mount", () => {
    const render = parseMountinfo(text)[1]!;
    expect(serverAddress(render)).toBe("100.64.0.2");
  });
});

describe("isTailnetAddress", () => {
  it("accepts 100.64.0.0/10 and fd7a:115c:a1e0::/48 only", () => {
    expect(isTailnetAddress("100.64.0.2")).toBe(true);
    expect(isTailnetAddress("100.127.255.1")).toBe(true);
    expect(isTailnetAddress("100.128.0.1")).toBe(false);
    expect(isTailnetAddress("10.0.0.9")).toBe(false);
    expect(isTailnetAddress("fd7a:115c:a1e0::10")).toBe(true);
  });
});
