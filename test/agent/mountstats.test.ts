import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMountstats } from "../../src/agent/mountstats.js";
import { FIXTURES } from "./helpers.js";

const stats = parseMountstats(
  readFileSync(path.join(FIXTURES, "proc", "self", "mountstats"), "utf8"),
);

describe("parseMountstats", () => {
  it("sums operations, retransmissions and major timeouts per NFS mount", () => {
    expect(stats.get("/mnt/render")).toEqual({
      operations: 5001,
      retransmissions: 6,
      majorTimeouts: 1,
      readBytes: 52428800,
      writeBytes: 10485760,
    });
  });

  it("ignores mounts that are not NFS", () => {
    expect([...stats.keys()]).toEqual(["/mnt/render"]);
  });
});
